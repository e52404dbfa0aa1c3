// Small enhancements for every page; each page works without them.
// Filters are a <details> that phones open on demand; on a wide screen
// they sit in a sidebar, so they start open.
(function () {
  "use strict";
  if (window.matchMedia("(min-width: 900px)").matches) {
    document.querySelectorAll("details.filters").forEach(function (details) {
      details.open = true;
    });
  }
})();
