// Check-in with the camera: where the browser can read QR codes (BarcodeDetector), a button starts
// the camera and a code it sees fills the form and sends it. Elsewhere the page stays as it is, and
// the code is typed. After a scan the camera starts again on the next page, ready for the next person;
// the badge just scanned is not sent again while it stays in view, only once it has left it.
(function () {
  const form = document.querySelector("form[data-scan]");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  const start = form.querySelector("[data-scan-start]");
  const stop = form.querySelector("[data-scan-stop]");
  const failed = form.querySelector("[data-scan-failed]");
  const video = form.querySelector("[data-scan-video]");
  const input = form.querySelector("#code");
  const KEY = "eventsite-check-in-camera";
  const LAST = "eventsite-check-in-last";
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
    let empty = 0;  // frames in a row without a code: a few of them and the last badge has left the view
    async function look() {
      if (!stream) return;
      try {
        const found = await detector.detect(video);
        const code = found.length ? found[0].rawValue : "";
        if (!code) {
          if (video.readyState >= 2 && ++empty >= 3) sessionStorage.removeItem(LAST);
        } else {
          empty = 0;
          if (code !== sessionStorage.getItem(LAST)) {  // a badge not just scanned: send it
            sessionStorage.setItem(LAST, code);
            input.value = code;
            halt();
            form.submit();
            return;
          }
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
    stop.addEventListener("click", () => {
      sessionStorage.removeItem(KEY);
      sessionStorage.removeItem(LAST);
      halt();
      input.focus();
    });
    if (sessionStorage.getItem(KEY) === "on") scan();
  });
})();
