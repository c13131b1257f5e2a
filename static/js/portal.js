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

// A form with data-busy-label cannot be sent twice: while it is sent, its submit button is disabled and says so.
(function () {
  "use strict";
  function setBusy(button, busy) {
    if (!button) return;
    if (busy) {
      if (!button.hasAttribute("data-idle-label")) button.setAttribute("data-idle-label", button.textContent);
      button.textContent = button.form.getAttribute("data-busy-label") || button.textContent;
      button.setAttribute("aria-busy", "true");
    } else {
      if (button.hasAttribute("data-idle-label")) button.textContent = button.getAttribute("data-idle-label");
      button.removeAttribute("aria-busy");
    }
    button.disabled = busy;
  }
  window.rfpFormBusy = setBusy;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy-label")) return;
    // After the other listeners: one that sends the form itself (uploads.js) prevents the default and sets the
    // button itself; disabling the button before the browser reads the form would drop it from the post.
    setTimeout(function () {
      if (!event.defaultPrevented) setBusy(form.querySelector("button[type=submit]"), true);
    }, 0);
  });

  // Back to a page kept in the browser's cache: its form can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-busy-label] button[aria-busy]").forEach(function (button) {
      setBusy(button, false);
    });
  });
})();
