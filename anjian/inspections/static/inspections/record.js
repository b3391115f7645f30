// Record page enhancements; the form works without them.
(function () {
  "use strict";
  // Open the finding block when "发现问题" is chosen.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || !input.hasAttribute || !input.hasAttribute("data-finding-toggle")) { return; }
    var id = input.getAttribute("data-finding-toggle");
    var block = document.getElementById("finding-" + id);
    var row = document.getElementById("item-" + id);
    var isFinding = input.value === "finding" && input.checked;
    if (block && isFinding) { block.open = true; }
    if (row) { row.classList.toggle("has-finding", isFinding); }
  });

  // A signature pad: drawing on the canvas puts a PNG into the signature file input on submit.
  var canvas = document.getElementById("signature-pad");
  var fileInput = document.getElementById("signature-file");
  var clear = document.getElementById("signature-clear");
  var form = document.getElementById("record-form");
  if (!canvas || !fileInput || !form || !window.DataTransfer) { return; }
  canvas.hidden = false;
  clear.hidden = false;
  var context = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;
  context.lineWidth = 2.5;
  context.lineCap = "round";
  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left) * canvas.width / box.width, y: (event.clientY - box.top) * canvas.height / box.height };
  }
  canvas.addEventListener("pointerdown", function (event) {
    drawing = true; var p = point(event); context.beginPath(); context.moveTo(p.x, p.y);
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    var p = point(event); context.lineTo(p.x, p.y); context.stroke(); drawn = true;
  });
  canvas.addEventListener("pointerup", function () { drawing = false; });
  clear.addEventListener("click", function () { context.clearRect(0, 0, canvas.width, canvas.height); drawn = false; });
  form.addEventListener("submit", function () {
    if (!drawn || fileInput.files.length) { return; }
    var data = canvas.toDataURL("image/png").split(",")[1];
    var bytes = atob(data);
    var array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { array[i] = bytes.charCodeAt(i); }
    var transfer = new DataTransfer();
    transfer.items.add(new File([array], "signature.png", { type: "image/png" }));
    fileInput.files = transfer.files;
    var ack = form.querySelector("input[name=acknowledgement][value=signed]");
    if (ack && !form.querySelector("input[name=acknowledgement]:checked")) { ack.checked = true; }
  });
})();
