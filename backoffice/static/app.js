// Small behaviours that need script; everything works without it (CSP: no inline script anywhere).
(function () {
  "use strict";
  function fadeToasts(root) {
    (root || document).querySelectorAll(".toast:not(.error-kept)").forEach(function (toast) {
      if (toast.classList.contains("toast-error")) { return; } // errors stay until the page changes
      setTimeout(function () { toast.classList.add("hiding"); }, 6000);
      setTimeout(function () { toast.remove(); }, 6500);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { fadeToasts(document); });
  document.addEventListener("htmx:oobAfterSwap", function (event) { fadeToasts(event.detail.target); });

  // ID-photo viewer: buttons or keys (+, -, R, F) zoom, rotate and go full screen.
  function cycle(viewer, prefix, count, step) {
    var current = 0;
    for (var i = 0; i < count; i++) { if (viewer.classList.contains(prefix + i)) { current = i; } viewer.classList.remove(prefix + i); }
    var next = Math.min(Math.max(current + step, 0), count - 1);
    if (prefix === "rot-") { next = (current + step + count) % count; }
    if (next) { viewer.classList.add(prefix + next); }
  }
  function act(viewer, what) {
    if (what === "in") { cycle(viewer, "zoom-", 3, 1); }
    if (what === "out") { cycle(viewer, "zoom-", 3, -1); }
    if (what === "rotate") { cycle(viewer, "rot-", 4, 1); }
    if (what === "full" && viewer.requestFullscreen) { viewer.requestFullscreen(); }
  }
  document.addEventListener("click", function (event) {
    var viewer = event.target.closest("[data-viewer]");
    if (!viewer) { return; }
    var b = event.target.closest("button");
    if (!b) { return; }
    act(viewer, b.dataset.zoom || (b.hasAttribute("data-rotate") ? "rotate" : b.hasAttribute("data-fullscreen") ? "full" : ""));
  });
  document.addEventListener("keydown", function (event) {
    var viewer = event.target.closest && event.target.closest("[data-viewer]");
    if (!viewer) { return; }
    var keys = { "+": "in", "=": "in", "-": "out", "r": "rotate", "R": "rotate", "f": "full", "F": "full" };
    if (keys[event.key]) { event.preventDefault(); act(viewer, keys[event.key]); }
  });
})();
