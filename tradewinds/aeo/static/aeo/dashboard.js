// Draws the AEO programme charts from the JSON the page carries (no request, no CDN).
(function () {
  const data = JSON.parse(document.getElementById("aeo-charts").textContent);
  const colours = ["#1565c0", "#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#00838f", "#ef6c00", "#546e7a"];
  const bar = (id, series, label) => new Chart(document.getElementById(id), {
    type: "bar",
    data: { labels: series.map((s) => s.label), datasets: [{ label: label, data: series.map((s) => s.value), backgroundColor: colours[0] }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  bar("chart-stages", data.stages, data.labels.count);
  bar("chart-times", data.decision_times, data.labels.count);
  new Chart(document.getElementById("chart-certified"), {
    type: "doughnut",
    data: { labels: data.certified.map((s) => s.label), datasets: [{ data: data.certified.map((s) => s.value), backgroundColor: colours }] },
  });
  new Chart(document.getElementById("chart-share"), {
    type: "doughnut",
    data: { labels: data.share.labels, datasets: [{ data: data.share.values, backgroundColor: [colours[1], "#cfd8dc"] }] },
  });
  new Chart(document.getElementById("chart-findings"), {
    type: "bar",
    data: {
      labels: data.findings.map((s) => s.label),
      datasets: [
        { label: data.labels.requirement, data: data.findings.map((s) => s.requirement), backgroundColor: colours[3] },
        { label: data.labels.recommendation, data: data.findings.map((s) => s.recommendation), backgroundColor: colours[0] },
      ],
    },
    options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
  });
  new Chart(document.getElementById("chart-comparison"), {
    type: "bar",
    data: {
      labels: data.comparison.labels,
      datasets: [
        { label: data.comparison.names[0], data: data.comparison.aeo, backgroundColor: colours[1] },
        { label: data.comparison.names[1], data: data.comparison.other, backgroundColor: "#90a4ae" },
      ],
    },
    options: { scales: { y: { beginAtZero: true } } },
  });
})();
