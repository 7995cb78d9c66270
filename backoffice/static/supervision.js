// Charts of the supervision dashboard (Chart.js, vendored). The data sits in each canvas's data-chart attribute
// (the CSP allows no inline script); the table beside each chart holds the same numbers for screen readers.
(function () {
  "use strict";
  var COLOURS = ["#1f5fa8", "#c0392b", "#2e8b57", "#b8860b", "#6a5acd"];
  function draw(canvas) {
    if (!window.Chart || canvas.dataset.drawn) { return; }
    var spec = JSON.parse(canvas.dataset.chart);
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: COLOURS[i % COLOURS.length],
                   borderColor: COLOURS[i % COLOURS.length], fill: false, tension: 0.2 };
        })
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { stacked: spec.stacked }, y: { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  function drawAll() { document.querySelectorAll("canvas[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
  document.addEventListener("htmx:afterSettle", drawAll);
})();
