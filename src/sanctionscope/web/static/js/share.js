/* sanctionscope: share links (copy to clipboard, e-mail). No third-party widget, no network.
 * Plain ES2019, no build step, no dependency. Does nothing if no .share element exists. */
(function () {
  "use strict";

  function absolute(url) {
    try { return new URL(url || window.location.href, window.location.href).href; } catch (e) { return String(url); }
  }

  function setup(box, index) {
    if (box.dataset.shareReady) return;
    box.dataset.shareReady = "1";
    var url = absolute(box.dataset.url);
    var title = box.dataset.title || document.title;

    var copy = document.createElement("button");
    copy.type = "button";
    copy.className = "share-copy";
    copy.textContent = "Copy link";

    var mail = document.createElement("a");
    mail.className = "share-mail";
    mail.href = "mailto:?subject=" + encodeURIComponent(title) + "&body=" + encodeURIComponent(title + "\n\n" + url);
    mail.textContent = "Share by e-mail";

    var status = document.createElement("span");
    status.className = "share-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    /* Fallback: a read-only field holding the link, selected for the user. */
    var fieldId = "share-link-" + index;
    var fieldLabel = document.createElement("label");
    fieldLabel.className = "sr-only";
    fieldLabel.htmlFor = fieldId;
    fieldLabel.textContent = "Link to share";
    var field = document.createElement("input");
    field.type = "text";
    field.id = fieldId;
    field.className = "share-field";
    field.readOnly = true;
    field.value = url;
    field.hidden = true;
    fieldLabel.hidden = true;

    function fallback() {
      field.hidden = false;
      fieldLabel.hidden = false;
      field.focus();
      field.select();
      var ok = false;
      try { ok = document.execCommand && document.execCommand("copy"); } catch (e) { ok = false; }
      status.textContent = ok ? "Link copied." : "Press Ctrl+C (⌘C on a Mac) to copy the selected link.";
    }

    copy.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext !== false && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () {
          status.textContent = "Link copied.";
        }, fallback);
      } else {
        fallback();
      }
    });
    field.addEventListener("focus", function () { field.select(); });

    box.appendChild(copy);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(mail);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(fieldLabel);
    box.appendChild(field);
    box.appendChild(status);
  }

  function init() {
    var boxes = document.querySelectorAll(".share");
    Array.prototype.forEach.call(boxes, setup);
  }

  /* pages that swap content in (the research page) set up new share boxes again */
  window.sanctionscopeShare = { init: init };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
