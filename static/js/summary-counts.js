// Live counts against the template while typing; the server checks the same rules on save.
(function () {
  document.querySelectorAll(".summary-field").forEach((box) => {
    const area = box.querySelector("textarea");
    const out = box.querySelector(".count");
    const { kind, min, max, words } = box.dataset;
    function update() {
      const text = area.value.replace(/\r\n/g, "\n");
      const entries = kind === "bullets"
        ? text.split("\n").filter((l) => l.trim())
        : text.split(/\n\s*\n/).filter((b) => b.trim());
      const wordCount = (text.match(/\S+/g) || []).length;
      const unit = kind === "bullets" ? "bullet points" : "paragraphs";
      let message = `${entries.length} ${unit} (template: ${min} to ${max})`;
      if (words) message += ` · ${wordCount} of ${words} words`;
      const ok = entries.length >= +min && entries.length <= +max && (!words || wordCount <= +words);
      out.textContent = message;
      out.className = "count " + (ok ? "ok" : "off");
    }
    area.addEventListener("input", update);
    update();
  });
})();
