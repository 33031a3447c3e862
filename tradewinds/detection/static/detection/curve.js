// Precision-at-inspection-rate curves from the data the page embeds (no request, no CDN).
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("curve-chart");
  var source = document.getElementById("curve-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1f6feb", "#d1242f", "#1a7f37"];
  new Chart(canvas, {
    type: "line",
    data: {
      datasets: data.series.map(function (series, index) {
        return {
          label: series.label,
          data: series.points.map(function (p) { return { x: p[0] * 100, y: p[1] }; }),
          borderColor: colours[index % colours.length],
          tension: 0.2
        };
      })
    },
    options: {
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: "linear", min: 0, max: 100, title: { display: true, text: data.x_label + " (%)" } },
        y: { min: 0, max: 1, title: { display: true, text: data.y_label } }
      }
    }
  });
});
