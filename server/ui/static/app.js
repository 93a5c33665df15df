// Muster's page script (CSP 'self': no inline scripts). Progressive
// enhancement only: every page works without it.
(function () {
  "use strict";
  // A table that is wider than the screen scrolls inside its wrapper; that
  // scrolling region must be reachable by keyboard (WCAG 2.1.1) and named.
  // Only overflowing wrappers get a tab stop, so there are no redundant ones.
  function regions() {
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i];
      if (w.scrollWidth > w.clientWidth + 1) {
        if (!w.hasAttribute("tabindex")) {
          w.setAttribute("tabindex", "0");
          w.setAttribute("role", "region");
          var cap = w.querySelector("caption");
          var h = cap ? cap.textContent : "";
          if (!h) {
            var prev = w.previousElementSibling;
            while (prev && !/^H[1-6]$/.test(prev.tagName)) { prev = prev.previousElementSibling; }
            h = prev ? prev.textContent : "Table";
          }
          w.setAttribute("aria-label", h.trim() + " (scrolls sideways)");
        }
      } else if (w.getAttribute("role") === "region") {
        w.removeAttribute("tabindex");
        w.removeAttribute("role");
        w.removeAttribute("aria-label");
      }
    }
  }
  regions();
  window.addEventListener("resize", regions);

  // The phone menu: one button opens and closes it. Without this script
  // the button stays hidden and the menu is shown.
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { menu.removeAttribute("data-closed"); } else { menu.setAttribute("data-closed", ""); }
    };
    toggle.hidden = false;
    setOpen(false);
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
  }
  document.addEventListener("toggle", regions, true); // <details> opening

  // The GOV.UK error pattern: focus moves to the error summary.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Buttons that ask first (data-confirm="question").
  var asks = document.querySelectorAll("[data-confirm]");
  for (var j = 0; j < asks.length; j++) {
    asks[j].addEventListener("click", function (e) {
      if (!window.confirm(this.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  }
})();
