// Where both people changed a section, typing in its box chooses "use the text in the box",
// so an edit is never discarded by a choice made before it. The server checks the same.
(function () {
  document.querySelectorAll("input[data-merge-choice][value=edit]").forEach((radio) => {
    const box = document.getElementById(radio.dataset.mergeChoice);
    if (box) box.addEventListener("input", () => { radio.checked = true; });
  });
})();
