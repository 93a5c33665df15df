// The audience editor's live count (Courses page): when a choice changes,
// the form is sent to /courses/audience-count and the "It covers N people"
// line is updated. Progressive enhancement: without it, "Check what this
// changes" shows the same figures.
(function () {
  "use strict";
  var sets = document.querySelectorAll("fieldset[data-audience-count]");
  for (var i = 0; i < sets.length; i++) { watch(sets[i]); }

  function watch(set) {
    var form = set.closest("form");
    var out = set.querySelector(".audience-covers");
    if (!form || !out) { return; }
    var timer = null;
    var seq = 0;
    set.addEventListener("change", schedule);
    set.addEventListener("input", schedule);

    function schedule() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(send, 300);
    }

    function send() {
      var mine = ++seq;
      var body = new URLSearchParams(new FormData(form));
      fetch(set.getAttribute("data-audience-count"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, j: j }; });
      }).then(function (res) {
        if (mine !== seq) { return; }
        if (res.ok) {
          out.textContent = "It would cover " + people(res.j.covers) + " on the roster today.";
        } else {
          out.textContent = (res.j && res.j.error && res.j.error.message) || "The count could not be worked out.";
        }
      }).catch(function () {
        if (mine === seq) { out.textContent = "The count could not be worked out; “Check what this changes” shows it."; }
      });
    }
  }

  function people(n) {
    return n === 1 ? "1 person" : n.toLocaleString("en-GB") + " people";
  }
})();
