// Re-ask at once when a box marked data-autosubmit changes (instead of inline onchange
// handlers, which the Content-Security-Policy does not run). Without script, the form's
// own button submits.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
})();
