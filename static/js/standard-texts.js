/*
 * Standard texts on the wijkteam's confirm pages. Without this script the "Use this text" button
 * reloads the page with ?tekst=<id> and the server puts the text in the field. With it, the text
 * is put in the field at once; the person can still change it before confirming.
 */
(function () {
  "use strict";
  function init() {
    var forms = document.querySelectorAll("form[data-standard-texts]");
    Array.prototype.forEach.call(forms, function (form) {
      var target = document.getElementById(form.getAttribute("data-target"));
      var select = form.querySelector("select");
      var status = form.querySelector("[data-standard-texts-status]");
      if (!target || !select) return;
      form.addEventListener("submit", function (event) {
        var option = select.options[select.selectedIndex];
        var text = option ? option.getAttribute("data-text") : null;
        if (text === null) return; // nothing chosen: the server says what to do
        event.preventDefault();
        target.value = text;
        if (status) status.textContent = form.getAttribute("data-message") || "";
        target.focus();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
