/* Visits: the signature pad of the public guest book, and the print button of the printable guest book.
   Without JavaScript the guest ticks "Saya hadir" instead, and the page can be printed from the browser menu. */
(function () {
  "use strict";

  function signaturePad(pad) {
    var canvas = pad.querySelector("canvas");
    var field = document.getElementById("id_signature");
    var clear = pad.querySelector("[data-clear]");
    var status = pad.querySelector("[data-status]");
    if (!canvas || !field || !canvas.getContext) return;
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    // A signature sent with a form that came back with an error (a wrong phone number, say) is drawn again.
    var kept = /^data:image\/png;base64,/.test(field.value) ? field.value : "";
    pad.hidden = false;

    function setup() {
      var ratio = Math.min(window.devicePixelRatio || 1, 2);
      var rect = canvas.getBoundingClientRect();
      canvas.width = Math.max(1, Math.round(rect.width * ratio));
      canvas.height = Math.max(1, Math.round(rect.height * ratio));
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      drawn = false;
      field.value = "";
      if (status) status.textContent = status.getAttribute("data-empty") || "";
    }

    function point(e) {
      var rect = canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    }

    canvas.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      drawing = true;
      if (canvas.setPointerCapture) canvas.setPointerCapture(e.pointerId);
      var p = point(e);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + 0.1, p.y + 0.1);
      ctx.stroke();
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      e.preventDefault();
      var p = point(e);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
    });
    function finish() {
      if (!drawing) return;
      drawing = false;
      drawn = true;
      field.value = canvas.toDataURL("image/png");
      if (status) status.textContent = status.getAttribute("data-done") || "";
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("pointerleave", finish);
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); setup(); });
    }
    var width = canvas.getBoundingClientRect().width;
    window.addEventListener("resize", function () {
      // Resizing clears a canvas: only start over when the width really changed and nothing was drawn.
      var now = canvas.getBoundingClientRect().width;
      if (now !== width && !drawn) { width = now; setup(); }
    });
    setup();
    if (kept) {
      var img = new Image();
      img.onload = function () {
        var rect = canvas.getBoundingClientRect();
        ctx.drawImage(img, 0, 0, rect.width, rect.height);
        drawn = true;
        field.value = kept;
        if (status) status.textContent = status.getAttribute("data-done") || "";
      };
      img.src = kept;
    }
  }

  var pad = document.getElementById("signature-pad");
  if (pad) signaturePad(pad);
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
