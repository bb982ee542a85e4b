// Refresh the check-in counts every few seconds, so several doors see the same numbers.
(function () {
  const box = document.querySelector(".live-counts[data-url]");
  if (!box) return;
  async function refresh() {
    try {
      const response = await fetch(box.dataset.url, { credentials: "same-origin" });
      if (!response.ok) return;
      const counts = await response.json();
      box.querySelectorAll("[data-count]").forEach((el) => { el.textContent = counts[el.dataset.count]; });
    } catch (error) { /* offline for a moment: keep the last numbers */ }
  }
  setInterval(refresh, 5000);
})();
