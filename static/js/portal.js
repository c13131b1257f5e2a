// Countdowns to a round's deadline: time left, and the deadline in the browser's own time zone.
(function () {
  "use strict";
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function describe(ms) {
    if (ms <= 0) return "closed";
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600),
        m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (d > 0) return plural(d, "day") + ", " + plural(h, "hour") + " left";
    if (h > 0) return plural(h, "hour") + ", " + plural(m, "minute") + " left";
    return plural(m, "minute") + ", " + plural(sec, "second") + " left";
  }
  function update() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var deadline = new Date(el.getAttribute("data-countdown"));
      var left = el.querySelector(".countdown");
      if (left) left.textContent = "(" + describe(deadline - Date.now()) + ")";
      var local = el.querySelector(".local-time");
      if (local && local.hidden) {
        local.textContent = "— " + deadline.toLocaleString(undefined, { dateStyle: "long", timeStyle: "long" }) +
          " in your time zone";
        local.hidden = false;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { update(); setInterval(update, 1000); });
})();
