/* sanctionscope: batch screening upload with progress and download links.
 * Plain ES2019, no build step, no dependency. Does nothing if #screen-form is absent.
 * Without JavaScript the form still posts normally. */
(function () {
  "use strict";

  function parseJson(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function problemMessage(body, xhr) {
    if (body && (body.title || body.detail)) {
      if (body.title && body.detail) return body.title + ": " + body.detail;
      return body.title || body.detail;
    }
    /* FastAPI's default {"detail": [...]} validation errors */
    if (body && Array.isArray(body.detail)) {
      return "Invalid request: " + body.detail.map(function (d) { return d.msg || String(d); }).join("; ");
    }
    return "The screening failed: the server answered " + xhr.status + (xhr.statusText ? " " + xhr.statusText : "") + ".";
  }

  function summary(r) {
    var s = r.rows_read + " rows read = " + r.answered + " answered + " + r.rejected + " rejected";
    var v = r.verdicts || {};
    var parts = Object.keys(v).filter(function (k) { return v[k] > 0; })
      .map(function (k) { return k + " " + v[k]; });
    if (parts.length) s += " (" + parts.join(", ") + ")";
    if (r.leading_zeros_restored != null) s += "; leading zeros restored in " + r.leading_zeros_restored + " rows";
    return s;
  }

  /* The answered rows by verdict, each verdict in its own colour and counted apart:
   * NOT_COVERED and LICENCE_REQUIRED are never added to ALLOWED. */
  var VERDICTS = ["BANNED", "LICENCE_REQUIRED", "UNDETERMINED", "NOT_COVERED", "ALLOWED"];
  function showCounts(list, r) {
    if (!list) return;
    list.textContent = "";
    var v = (r && r.verdicts) || {};
    var keys = VERDICTS.concat(Object.keys(v).filter(function (k) { return VERDICTS.indexOf(k) < 0; }));
    keys.forEach(function (k) {
      var li = document.createElement("li");
      li.className = "verdict-count" + (v[k] ? "" : " verdict-count-zero");
      li.setAttribute("data-verdict", k);
      var tag = document.createElement("span");
      tag.className = "verdict verdict-" + k;
      tag.textContent = k;
      var n = document.createElement("span");
      n.className = "count";
      n.textContent = String(v[k] || 0);
      li.appendChild(tag);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(n);
      list.appendChild(li);
    });
    list.hidden = !r;
  }

  function init() {
    var form = document.getElementById("screen-form");
    if (!form) return;

    var fileInput = document.getElementById("screen-file") || form.querySelector('input[type="file"]');
    var formatSelect = document.getElementById("screen-format") || form.querySelector('[name="format"]');
    var progress = document.getElementById("screen-progress");
    var statusEl = document.getElementById("screen-status");
    if (!statusEl) {
      statusEl = document.createElement("p");
      statusEl.id = "screen-status";
      statusEl.setAttribute("role", "status");
      statusEl.setAttribute("aria-live", "polite");
      form.parentNode.insertBefore(statusEl, form.nextSibling);
    }
    var download = document.getElementById("screen-download");
    var rejects = document.getElementById("screen-rejects");
    var submit = form.querySelector('[type="submit"]');
    var counts = document.getElementById("screen-verdicts");

    function setStatus(text, isError) {
      statusEl.textContent = text;
      statusEl.classList.toggle("status-error", !!isError);
    }
    function hideLinks() {
      [download, rejects].forEach(function (a) {
        if (a) { a.hidden = true; a.removeAttribute("href"); }
      });
    }
    function showLink(a, href) {
      if (!a || !href) return;
      a.href = href;
      a.hidden = false;
    }
    function busy(on) {
      if (submit) submit.disabled = on;
      if (on) form.setAttribute("aria-busy", "true");
      else form.removeAttribute("aria-busy");
    }

    /* Pick the format from the file's extension, the user can still change it. */
    if (fileInput && formatSelect) {
      fileInput.addEventListener("change", function () {
        var f = fileInput.files && fileInput.files[0];
        if (!f) return;
        var m = /\.(csv|parquet)$/i.exec(f.name);
        if (m) formatSelect.value = m[1].toLowerCase();
      });
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (typeof form.reportValidity === "function" && !form.reportValidity()) return;
      var file = fileInput && fileInput.files && fileInput.files[0];
      if (!file) {
        setStatus("Choose a CSV or Parquet file first.", true);
        if (fileInput) fileInput.focus();
        return;
      }
      var format = formatSelect ? formatSelect.value : "csv";

      var url;
      try {
        url = new URL(form.getAttribute("action") || "/v1/screen", window.location.href);
      } catch (e) {
        url = new URL("/v1/screen", window.location.href);
      }
      url.searchParams.set("format", format);

      var fd = new FormData(form);
      fd.delete("format"); /* sent in the query string */

      hideLinks();
      showCounts(counts, null);
      busy(true);
      if (progress) {
        progress.hidden = false;
        progress.max = 100;
        progress.value = 0;
      }
      setStatus("Uploading " + file.name + "…", false);

      var xhr = new XMLHttpRequest();
      xhr.open("POST", url.pathname + url.search);
      xhr.setRequestHeader("Accept", "application/json");
      var lastAnnounced = -1;
      if (xhr.upload) {
        xhr.upload.addEventListener("progress", function (e) {
          if (!e.lengthComputable) return;
          var pct = Math.round((e.loaded / e.total) * 100);
          if (progress) progress.value = pct;
          /* announce in steps of 25 % so screen readers are not flooded */
          var step = Math.floor(pct / 25);
          if (step !== lastAnnounced) {
            lastAnnounced = step;
            setStatus("Uploading " + file.name + ": " + pct + " %", false);
          }
        });
        xhr.upload.addEventListener("load", function () {
          if (progress) progress.removeAttribute("value"); /* indeterminate while screening */
          setStatus("Uploaded; screening the rows…", false);
        });
      }
      xhr.addEventListener("load", function () {
        busy(false);
        var body = parseJson(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300 && body) {
          if (progress) { progress.max = 100; progress.value = 100; }
          setStatus(summary(body), false);
          showCounts(counts, body);
          showLink(download, body.download);
          showLink(rejects, body.rejects);
        } else {
          if (progress) { progress.hidden = true; progress.value = 0; }
          setStatus(problemMessage(body, xhr), true);
        }
      });
      xhr.addEventListener("error", function () {
        busy(false);
        if (progress) { progress.hidden = true; progress.value = 0; }
        setStatus("The upload failed: the server could not be reached.", true);
      });
      xhr.addEventListener("abort", function () {
        busy(false);
        if (progress) { progress.hidden = true; progress.value = 0; }
        setStatus("The upload was cancelled.", true);
      });
      xhr.send(fd);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
