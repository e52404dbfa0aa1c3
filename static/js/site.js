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
  // The header's cart link opens a summary of the cart (fetched when opened,
  // so other pages pay only for the item count); a second click, Escape or
  // a click elsewhere closes it. Without JavaScript it is a link to the cart,
  // and if the summary cannot be fetched the link is followed.
  var cartLink = document.querySelector("a[data-minicart]");
  var panel = document.getElementById("minicart-panel");
  if (cartLink && panel) {
    cartLink.setAttribute("aria-expanded", "false");
    cartLink.setAttribute("aria-controls", panel.id);
    var closePanel = function () {
      panel.hidden = true;
      cartLink.setAttribute("aria-expanded", "false");
    };
    cartLink.addEventListener("click", function (event) {
      event.preventDefault();
      if (!panel.hidden) { closePanel(); return; }
      fetch(cartLink.getAttribute("data-minicart"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("cart summary: " + response.status);
          return response.text();
        })
        .then(function (html) {
          panel.innerHTML = html;
          panel.hidden = false;
          cartLink.setAttribute("aria-expanded", "true");
        })
        .catch(function () { window.location.href = cartLink.href; });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { closePanel(); cartLink.focus(); }
    });
    document.addEventListener("click", function (event) {
      if (!panel.hidden && !panel.contains(event.target) && !cartLink.contains(event.target)) {
        closePanel();
      }
    });
  }
  if (window.matchMedia("(min-width: 900px)").matches) {
    document.querySelectorAll("details.filters").forEach(function (details) {
      details.open = true;
    });
  }
})();
