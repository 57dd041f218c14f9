/* Atlas: the few things plain HTML cannot do. Everything works without this file. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // The menu is a <details>: open on wide screens, a button on phones; Escape closes it.
  var menu = document.querySelector("[data-menu]");
  if (menu) {
    var wide = window.matchMedia("(min-width: 48rem)");
    var follow = function () { menu.open = wide.matches; };
    follow();
    wide.addEventListener("change", follow);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && !wide.matches) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }
  // The search filters are a <details> too: open beside the results on wide screens.
  var wideFilters = window.matchMedia("(min-width: 48rem)");
  var openFilters = function () {
    if (wideFilters.matches) {
      document.querySelectorAll("[data-filters]").forEach(function (panel) { panel.open = true; });
    }
  };
  openFilters();
  document.body.addEventListener("htmx:afterSwap", openFilters);
});
