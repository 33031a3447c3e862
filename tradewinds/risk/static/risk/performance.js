// Draws the inspection-rate and hit-rate lines from the figures the page embeds (no request).
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("rates-chart");
  var source = document.getElementById("chart-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.periods,
      datasets: [
        { label: data.labels.inspection_rate, data: data.inspection_rate, borderColor: "#1f6feb", tension: 0.2 },
        { label: data.labels.hit_rate, data: data.hit_rate, borderColor: "#d1242f", tension: 0.2 }
      ]
    },
    options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 1 } }, spanGaps: true }
  });
});
