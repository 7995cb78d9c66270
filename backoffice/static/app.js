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

  // A failed htmx request (4xx, 5xx, no connection) shows its message in the page instead of nothing: the error
  // page's own text when the server sent one, else a generic line (its wording comes from the page, translated).
  function toast(text) {
    var box = document.getElementById("toasts");
    if (!box || !text) { return; }
    var item = document.createElement("div");
    item.className = "toast toast-error";
    item.setAttribute("role", "alert");
    item.textContent = text;
    box.appendChild(item);
  }
  function messageOf(xhr) {
    var body = (xhr && xhr.responseText) || "";
    try {
      var doc = new DOMParser().parseFromString(body, "text/html");
      var page = doc.querySelector(".error-page");
      if (page) {
        var title = page.querySelector("h1"), advice = page.querySelector("h1 + p");
        return [title && title.textContent, advice && advice.textContent].filter(Boolean).join(": ");
      }
      var errors = doc.querySelectorAll(".error");
      if (errors.length) { return Array.prototype.map.call(errors, function (e) { return e.textContent; }).join(" "); }
    } catch (ignored) { /* not HTML: the generic line below */ }
    return "";
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    toast(messageOf(xhr) || (document.body.dataset.msgFailed || "Error") + " (" + xhr.status + ")");
  });
  document.addEventListener("htmx:sendError", function () { toast(document.body.dataset.msgOffline || "Offline"); });

  // After a refused form the page opens at the first field in error, not at the top.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus({ preventScroll: true }); invalid.scrollIntoView({ block: "center" }); }
  });

  // Desk shortcuts (shown on screen): a key acts on the first element present of its list; a button is pressed,
  // a field is focused. Never while typing in a field, and the photo viewer's own keys come first.
  var SHORTCUTS = {
    n: ["[data-shortcut='n'] button", "button[data-shortcut='n']"],
    a: ["#justification", "[data-testid='approve']"],
    x: ["[data-testid='approve-next']"],
    r: ["[data-testid='decision'] #code", "[data-testid='waiting'] #code"],
    w: ["#reason_code"]
  };
  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable='true']");
  }
  function viewers() { return Array.prototype.slice.call(document.querySelectorAll("[data-viewer]")); }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "[" || event.key === "]") {  // between the photos
      var all = viewers(), active = document.activeElement, step = event.key === "]" ? 1 : -1;
      var at = all.indexOf(active && active.closest ? active.closest("[data-viewer]") : null);
      var next = all[at < 0 ? (step > 0 ? 0 : all.length - 1) : (at + step + all.length) % all.length];
      if (next) { event.preventDefault(); next.focus(); }
      return;
    }
    var selectors = SHORTCUTS[event.key.toLowerCase()] || [];
    for (var i = 0; i < selectors.length; i++) {
      var element = document.querySelector(selectors[i]);
      if (element) {
        event.preventDefault();
        if (element.tagName === "BUTTON") { element.click(); } else { element.focus(); }
        return;
      }
    }
    // The case pages mark their own keys: data-shortcut="k" on a form, a button, a link, a tab or a fold.
    var marked = event.key.length === 1 && document.querySelector("[data-shortcut='" + event.key.toLowerCase() + "']");
    if (marked) { event.preventDefault(); activate(marked); }
  });
  // A marked form: its first field gets the focus (Enter or Ctrl+Enter sends it), or, with no field, it is sent.
  function activate(element) {
    var panel = element.closest("[role='tabpanel']");
    if (panel && panel.hidden) { selectTab(document.getElementById(panel.getAttribute("aria-labelledby"))); }
    var fold = element.closest("details");
    if (fold && !fold.open) { fold.open = true; }
    if (element.getAttribute("role") === "tab") { selectTab(element); element.focus(); return; }
    if (element.tagName === "SUMMARY") { element = element.parentElement; }
    if (element.tagName === "FORM" || element.tagName === "DETAILS") {
      var first = element.querySelector("input:not([type='hidden']), select, textarea");
      if (first) { first.focus(); return; }
      element = element.querySelector("button[type='submit'], button") || element;
    }
    if (element.tagName === "BUTTON" || element.tagName === "A") { element.click(); } else { element.focus(); }
  }
  // Tabs (ARIA tabs pattern): each tab is a link to the page with ?tab=…, so without script the server shows that
  // panel; with script the panel is shown in place and the address follows, so a reload keeps it.
  function selectTab(tab) {
    if (!tab) { return; }
    var list = tab.closest("[role='tablist']");
    list.querySelectorAll("[role='tab']").forEach(function (other) {
      var chosen = other === tab;
      other.setAttribute("aria-selected", chosen ? "true" : "false");
      other.tabIndex = chosen ? 0 : -1;
      var shown = document.getElementById(other.getAttribute("aria-controls"));
      if (shown) { shown.hidden = !chosen; }
    });
    if (tab.dataset.tab && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("tab", tab.dataset.tab);
      window.history.replaceState(window.history.state, "", url);
    }
  }
  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest("[role='tab']");
    if (!tab || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    selectTab(tab);
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest("[role='tab']");
    if (!tab || (event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Home" && event.key !== "End")) { return; }
    var tabs = Array.prototype.slice.call(tab.closest("[role='tablist']").querySelectorAll("[role='tab']"));
    var at = tabs.indexOf(tab), last = tabs.length - 1;
    var next = event.key === "Home" ? 0 : event.key === "End" ? last : (at + (event.key === "ArrowRight" ? 1 : -1) + tabs.length) % tabs.length;
    event.preventDefault();
    selectTab(tabs[next]);
    tabs[next].focus();
  });
  // Enter on a reason list sends its form; Ctrl+Enter in a text box sends its form.
  document.addEventListener("keydown", function (event) {
    var form = event.target.form;
    if (event.key !== "Enter" || !form) { return; }
    var send = (event.target.tagName === "SELECT" && form.hasAttribute("data-enter-submits")) ||
      (event.target.tagName === "TEXTAREA" && (event.ctrlKey || event.metaKey));
    if (send) { event.preventDefault(); form.requestSubmit(); }
  });
  // Drag a zoomed photo to pan it inside its own frame.
  var panning = null;
  document.addEventListener("mousedown", function (event) {
    var frame = event.target.closest && event.target.closest("[data-pan]");
    if (!frame || event.button !== 0) { return; }
    panning = { frame: frame, x: event.clientX, y: event.clientY, left: frame.scrollLeft, top: frame.scrollTop };
    event.preventDefault();
  });
  document.addEventListener("mousemove", function (event) {
    if (!panning) { return; }
    panning.frame.scrollLeft = panning.left - (event.clientX - panning.x);
    panning.frame.scrollTop = panning.top - (event.clientY - panning.y);
  });
  document.addEventListener("mouseup", function () { panning = null; });

  // The language switch returns to the page as it is now: filters applied by htmx changed the address after the
  // page (and its hidden "next") was rendered.
  function languageComesBackHere() {
    var next = document.querySelector("form.language input[name=next]");
    if (next) { next.value = window.location.pathname + window.location.search; }
  }
  ["htmx:pushedIntoHistory", "htmx:replacedInHistory", "htmx:historyRestore"].forEach(function (name) {
    document.addEventListener(name, languageComesBackHere);
  });
})();

// Complaint answers: choosing a template fills the draft; typed text is never replaced without asking.
document.addEventListener("change", (event) => {
  const picker = event.target.closest("select[data-fills]");
  if (!picker) return;
  const area = picker.form.querySelector(`textarea[name="${picker.dataset.fills}"]`);
  const chosen = picker.selectedOptions[0];
  if (!area || !chosen) return;
  const untouched = !area.value.trim() || area.value === area.dataset.filledWith;
  if (untouched || window.confirm(picker.dataset.confirm || "Thay nội dung đang soạn bằng mẫu đã chọn?")) {
    area.value = chosen.dataset.body;
    area.dataset.filledWith = area.value;
    area.focus();
  }
});

// A queue's export takes the filters as they are now: htmx applies a filter without reloading the page, so the
// values rendered into the export form may be older. Each "name" or "name:posted_name" of data-filter-fields is
// copied from the page's filter form (data-filters-from) into the export form before it is sent.
document.addEventListener("submit", (event) => {
  const target = event.target;
  const source = target.dataset && target.dataset.filtersFrom && document.getElementById(target.dataset.filtersFrom);
  if (!source) return;
  for (const pair of (target.dataset.filterFields || "").split(" ").filter(Boolean)) {
    const [name, posted] = pair.split(":");
    const field = source.elements.namedItem(name);
    if (!field) continue;
    let hidden = target.querySelector(`input[type=hidden][name="${posted || name}"]`);
    if (!hidden) {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = posted || name;
      target.appendChild(hidden);
    }
    hidden.value = field.value;
  }
});
