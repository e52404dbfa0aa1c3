// The product page's variant picker, gallery and "Recently viewed" row.
// Without this file the page still works: the picked radio button is what
// the form adds to the cart, and the thumbnails link to the full pictures;
// only the visitor's own row (and counting the view for it) needs it.
(function () {
  "use strict";
  // The page is shared between visitors by caches; the row is the visitor's
  // own, so it is posted for apart (storefront.views.recently_viewed).
  var recent = document.querySelector("[data-recently-viewed]");
  if (recent && window.fetch) {
    fetch(recent.dataset.recentlyViewed, {method: "POST", credentials: "same-origin"})
      .then(function (response) { return response.status === 200 ? response.text() : ""; })
      .then(function (html) {
        if (!html) return;
        var row = document.createElement("template");
        row.innerHTML = html;
        recent.replaceWith(row.content);
      })
      .catch(function () {});  // an optional row: nothing shown
  }

  var form = document.querySelector("[data-variant-form]");
  var main = document.querySelector("[data-gallery-main]");
  var thumbs = Array.prototype.slice.call(document.querySelectorAll("[data-thumb]"));

  function showPicture(index) {
    var thumb = thumbs[index];
    if (!main || !thumb) return;
    var img = main.querySelector("img");
    var source = main.querySelector("source");
    if (!img) return;
    if (source) {
      if (thumb.dataset.largeWebp) source.srcset = thumb.dataset.largeWebp;
      else source.remove();
    }
    img.src = thumb.dataset.large;
    img.alt = thumb.dataset.alt;
    thumbs.forEach(function (other, i) {
      if (i === index) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
    });
  }

  thumbs.forEach(function (thumb, index) {
    thumb.addEventListener("click", function (event) {
      event.preventDefault();
      showPicture(index);
    });
  });

  if (!form) return;
  var offer = document.querySelector("[data-offer]");
  var skuLine = document.querySelector("[data-sku-line]");
  var button = form.querySelector("[data-add-button]");
  var note = form.querySelector("[data-unavailable-note]");
  var next = form.querySelector("[data-next]");

  function choose(radio) {
    var sku = radio.value;
    var template = form.querySelector('template[data-offer-for="' + CSS.escape(sku) + '"]');
    if (offer && template) offer.replaceChildren(template.content.cloneNode(true));
    if (skuLine) {  // only the code changes: the words around it are in the page's language
      skuLine.textContent = skuLine.textContent.replace(skuLine.dataset.sku, sku);
      skuLine.dataset.sku = sku;
    }
    var purchasable = radio.dataset.purchasable === "1";
    if (button) button.disabled = !purchasable;
    if (note) note.hidden = purchasable;
    if (radio.dataset.image !== undefined) showPicture(Number(radio.dataset.image));
    var url = new URL(window.location.href);
    url.searchParams.delete("sku");
    url.searchParams.set("variant", sku);
    window.history.replaceState(null, "", url);
    if (next) next.value = url.pathname + url.search;
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "sku" && event.target.type === "radio") choose(event.target);
  });
  var checked = form.querySelector('input[name="sku"]:checked');
  if (checked && button) button.disabled = checked.dataset.purchasable !== "1";
})();
