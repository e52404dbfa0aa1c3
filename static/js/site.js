// Small enhancements for every page; each page works without them.
// Filters are a <details> that phones open on demand; on a wide screen
// they sit in a sidebar, so they start open.
(function () {
  "use strict";
  // Forms marked data-autosubmit (the currency switcher) submit on change;
  // their button is only needed without JavaScript.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var button = form.querySelector("[data-autosubmit-button]");
    if (button) button.hidden = true;
    form.addEventListener("change", function () { form.submit(); });
  });
  if (window.matchMedia("(min-width: 900px)").matches) {
    document.querySelectorAll("details.filters").forEach(function (details) {
      details.open = true;
    });
  }
})();
