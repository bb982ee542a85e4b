// Check-in with the camera: where the browser can read QR codes (BarcodeDetector), a button starts
// the camera and a code it sees fills the form and sends it. Elsewhere the page stays as it is, and
// the code is typed. After a scan the camera starts again on the next page, ready for the next person.
(function () {
  const form = document.querySelector("form[data-scan]");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  const start = form.querySelector("[data-scan-start]");
  const stop = form.querySelector("[data-scan-stop]");
  const failed = form.querySelector("[data-scan-failed]");
  const video = form.querySelector("[data-scan-video]");
  const input = form.querySelector("#code");
  const KEY = "eventsite-check-in-camera";
  let stream = null;

  function halt() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  async function scan() {
    failed.hidden = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      failed.hidden = false;
      sessionStorage.removeItem(KEY);
      return;
    }
    sessionStorage.setItem(KEY, "on");
    video.srcObject = stream;
    video.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    await video.play();
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    async function look() {
      if (!stream) return;
      try {
        const found = await detector.detect(video);
        if (found.length && found[0].rawValue) {
          input.value = found[0].rawValue;
          halt();
          form.submit();
          return;
        }
      } catch (error) { /* a frame not ready yet: try the next one */ }
      setTimeout(look, 200);
    }
    look();
  }

  BarcodeDetector.getSupportedFormats().then((formats) => {
    if (!formats.includes("qr_code")) return;
    start.hidden = false;
    start.addEventListener("click", scan);
    stop.addEventListener("click", () => { sessionStorage.removeItem(KEY); halt(); input.focus(); });
    if (sessionStorage.getItem(KEY) === "on") scan();
  });
})();
