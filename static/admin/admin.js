// feedbackwidget admin: the only script of the admin area (loaded from 'self'; every page works without it).
"use strict";

// "Copy" buttons: <button data-copy="id-of-a-textarea" data-copied="Copied">.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  source.select();
  var done = function () { button.textContent = button.getAttribute("data-copied") || button.textContent; };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");
    done();
  }
});

// The header's menu at narrow widths: a disclosure button (aria-expanded) over the links;
// Escape closes it and gives the focus back to the button. Without this script the links are listed open.
(function () {
  var toggle = document.querySelector(".fw-menu-toggle");
  var header = document.querySelector(".fw-top");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!toggle || !header || !menu) return;
  var setOpen = function (open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("fw-open", open);
  };
  toggle.hidden = false;
  header.classList.add("fw-has-menu");
  toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
    setOpen(false);
    toggle.focus();
  });
})();

// A table wider than its box scrolls sideways; keyboard users reach it with Tab (and scroll with arrows).
(function () {
  var mark = function () {
    document.querySelectorAll(".fw-table, .fw-table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-fw-scroll", "");
      } else if (!scrolls && box.hasAttribute("data-fw-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-fw-scroll");
      }
    });
  };
  var pending = null;
  mark();
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(mark, 100);
  });
})();
