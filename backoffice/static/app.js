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
})();
