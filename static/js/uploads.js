// Proposal file uploads with a progress bar: the form is sent with XMLHttpRequest (whose upload.onprogress
// reports the bytes sent), the server answers with the attachments panel (HX-Request), and the panel is swapped
// in. Without JavaScript the same form posts normally and the server redirects back.
(function () {
  "use strict";
  if (window.rfpUploads) return; // the panel may be swapped in many times; listen once
  window.rfpUploads = true;

  function formatBytes(bytes) {
    var units = ["bytes", "KB", "MB", "GB"], value = bytes, unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return (unit === 0 ? value : value.toFixed(1)) + " " + units[unit];
  }

  function focusPanel(panel) {
    var target = panel.querySelector("[data-panel-focus]") || panel.querySelector("[aria-invalid=true]");
    if (target) target.focus();
  }

  function swapPanel(oldPanel, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.querySelector(".attachments-panel");
    if (!fresh) return null;
    oldPanel.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh); // the remove buttons use hx-post
    focusPanel(fresh);
    return fresh;
  }

  function progressRow(list, name) {
    var row = document.createElement("div");
    row.className = "upload-progress";
    var id = "upload-" + Date.now() + "-" + Math.floor(Math.random() * 1e6);
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = "Uploading " + name;
    var bar = document.createElement("progress");
    bar.id = id;
    bar.max = 100;
    bar.value = 0;
    var text = document.createElement("span");
    text.className = "upload-percent";
    text.setAttribute("aria-live", "polite");
    text.textContent = "0%";
    row.appendChild(label);
    row.appendChild(bar);
    row.appendChild(text);
    list.appendChild(row);
    return { row: row, bar: bar, text: text, label: label };
  }

  // Disabled and labelled "Uploading…" while the file is sent (portal.js), enabled again when it fails.
  function busy(button, on) {
    if (!button) return;
    if (window.rfpFormBusy) window.rfpFormBusy(button, on);
    else button.disabled = on;
  }

  function fail(progress, button, message) {
    progress.row.classList.add("error");
    progress.text.setAttribute("role", "alert");
    progress.text.textContent = message;
    busy(button, false);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload-form")) return;
    if (!window.FormData || !window.XMLHttpRequest) return; // let the browser post the form
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (!file) return; // the browser's own "required" check, or the server, explains
    event.preventDefault();

    var panel = document.getElementById(form.getAttribute("data-panel"));
    var list = form.querySelector("[data-upload-progress]");
    var button = form.querySelector("button[type=submit]");
    var progress = progressRow(list, file.name);
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (maxBytes && file.size > maxBytes) {
      // Saves sending a file the server would refuse; the server checks again anyway.
      fail(progress, button, file.name + " is " + formatBytes(file.size) + "; files can be at most " +
        formatBytes(maxBytes) + ".");
      return;
    }

    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("HX-Request", "true");
    xhr.setRequestHeader("HX-Current-URL", window.location.href);
    if (token) xhr.setRequestHeader("X-CSRFToken", token.value);
    var shown = -1;
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.floor((e.loaded / e.total) * 100);
      if (percent === shown) return;
      shown = percent;
      progress.bar.value = percent;
      progress.text.textContent = percent + "%";
    };
    xhr.upload.onload = function () {
      progress.bar.value = 100;
      progress.text.textContent = "100%, checking the file";
    };
    xhr.onload = function () {
      if (xhr.status === 200 && panel && swapPanel(panel, xhr.responseText)) return;
      if (xhr.status === 403) {
        fail(progress, button, "Your role does not allow adding files to this proposal.");
      } else if (xhr.status === 413) {
        fail(progress, button, file.name + " is too large for the server to accept.");
      } else {
        fail(progress, button, "The upload of " + file.name + " failed (HTTP " + xhr.status + "); try again.");
      }
    };
    xhr.onerror = function () {
      fail(progress, button, "The connection was lost before " + file.name + " finished uploading; try again.");
    };
    busy(button, true);
    xhr.send(new FormData(form));
  });

  // After htmx swaps the panel (a file removed), move focus to its message so it is read out.
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = event.detail && event.detail.elt;
    var fresh = panel && panel.id ? document.getElementById(panel.id) : null;
    if (fresh && fresh.classList.contains("attachments-panel")) focusPanel(fresh);
  });
})();
