/*
 * "Print this page": a button with data-print is hidden in the HTML and shown here, so that
 * without JavaScript there is no button that does nothing. A click opens the browser's print
 * dialogue; the print styles in budgets.css leave out the site around the figures.
 */
(function () {
  "use strict";

  function init() {
    var buttons = document.querySelectorAll("[data-print]");
    if (typeof window.print !== "function") return;
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        window.print();
      });
      buttons[i].hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
