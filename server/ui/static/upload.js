// Progressive enhancement for the upload form: drag a file onto the drop
// zone to choose it. Without JavaScript the plain file input works as is.
(function () {
  "use strict";
  var zone = document.getElementById("drop");
  var input = document.getElementById("file");
  var chosen = document.getElementById("chosen");
  if (!zone || !input || !window.DataTransfer) { return; }
  zone.hidden = false;
  function show() {
    if (chosen) { chosen.textContent = input.files.length ? "Chosen: " + input.files[0].name : ""; }
  }
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
    var dt = new DataTransfer();
    dt.items.add(e.dataTransfer.files[0]);
    input.files = dt.files;
    show();
  });
  // The drop zone is for the mouse only: keyboard users have the file
  // input itself, so the zone adds no second tab stop.
  input.addEventListener("change", show);
  var form = input.form;
  if (form) {
    form.addEventListener("submit", function () {
      var b = form.querySelector("button[type=submit]");
      if (b) { b.disabled = true; b.textContent = "Reading the file…"; }
    });
  }
})();
