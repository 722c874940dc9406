/*
 * After a form comes back with errors, move the focus to the summary of errors so that
 * keyboard and screen-reader users hear at once what to fix; its links lead to each field.
 */
(function () {
  "use strict";
  function init() {
    var summary = document.querySelector(".form-error-summary");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
