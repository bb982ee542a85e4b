// Hide the questions that apply only for a given answer; the server checks them either way.
(function () {
  const form = document.getElementById("registration-form");
  if (!form) return;
  const blocks = form.querySelectorAll("[data-depends-on]");
  function answerOf(name) {
    const inputs = form.querySelectorAll(`[name="${name}"]`);
    const values = [];
    inputs.forEach((input) => {
      if ((input.type === "checkbox" || input.type === "radio")) {
        if (input.checked) values.push(input.type === "checkbox" && input.value === "y" ? "yes" : input.value);
      } else if (input.value) values.push(input.value);
    });
    return values;
  }
  function refresh() {
    blocks.forEach((block) => {
      const shown = answerOf(block.dataset.dependsOn).includes(block.dataset.dependsValue);
      block.hidden = !shown;
    });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
