/* sanctionscope: searchable HS nomenclature picker (fills a <datalist>).
 * Plain ES2019, no build step, no dependency. Does nothing if #hs is absent. */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var LIMIT = 20;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function responseError(resp) {
    return resp.text().then(function (text) {
      var body = null;
      try { body = JSON.parse(text); } catch (e) { body = null; }
      var msg;
      if (body && (body.title || body.detail)) {
        msg = body.title && body.detail ? body.title + ": " + body.detail : (body.title || body.detail);
      } else {
        msg = "The nomenclature search failed: the server answered " + resp.status +
          (resp.statusText ? " " + resp.statusText : "") + ".";
      }
      var err = new Error(msg);
      err.readable = true;
      throw err;
    });
  }

  function init() {
    var input = document.getElementById("hs");
    if (!input) return;

    var listId = input.getAttribute("list") || "hs-options";
    var datalist = document.getElementById(listId);
    if (!datalist) {
      datalist = document.createElement("datalist");
      datalist.id = listId;
      input.setAttribute("list", listId);
      input.parentNode.insertBefore(datalist, input.nextSibling);
    }

    /* Screen readers do not announce datalist changes: say how many matches there are. */
    var statusEl = document.getElementById("hs-status");
    if (!statusEl) {
      statusEl = document.createElement("span");
      statusEl.id = "hs-status";
      statusEl.className = "picker-status";
      statusEl.setAttribute("role", "status");
      statusEl.setAttribute("aria-live", "polite");
      datalist.parentNode.insertBefore(statusEl, datalist.nextSibling);
    }
    function setStatus(text, isError) {
      statusEl.textContent = text;
      statusEl.classList.toggle("status-error", !!isError);
    }

    var cache = new Map();
    var controller = null;
    var seq = 0;
    var lastQuery = null;

    function fill(items) {
      var frag = document.createDocumentFragment();
      items.forEach(function (it) {
        var opt = document.createElement("option");
        opt.value = it.code;
        opt.textContent = it.code + " — " + (it.description || "");
        frag.appendChild(opt);
      });
      datalist.textContent = "";
      datalist.appendChild(frag);
    }

    function announce(items, q) {
      if (!items.length) setStatus("No heading or subheading matches “" + q + "”.", false);
      else setStatus(items.length + (items.length === 1 ? " match" : " matches") + " for “" + q + "”.", false);
    }

    function search() {
      var q = input.value.trim();
      if (q.length < MIN_CHARS) {
        lastQuery = null;
        setStatus("", false);
        return;
      }
      if (q === lastQuery) return;
      lastQuery = q;
      /* Picking an option sets the input to an exact code we already listed: keep the list. */
      var existing = Array.prototype.some.call(datalist.options, function (o) { return o.value === q; });
      if (existing && datalist.options.length) return;
      if (cache.has(q)) {
        fill(cache.get(q));
        announce(cache.get(q), q);
        return;
      }
      var mine = ++seq;
      if (controller) controller.abort();
      controller = typeof AbortController !== "undefined" ? new AbortController() : null;
      var url = "/v1/nomenclature?q=" + encodeURIComponent(q) + "&limit=" + LIMIT;
      fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (resp) {
          if (!resp.ok) return responseError(resp);
          return resp.json();
        })
        .then(function (data) {
          var items = (data && Array.isArray(data.items)) ? data.items : [];
          cache.set(q, items);
          if (mine !== seq) return;
          fill(items);
          announce(items, q);
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          if (mine !== seq) return;
          lastQuery = null;
          setStatus(err && err.readable ? err.message
            : "Could not search the nomenclature (" + (err && err.message ? err.message : "network error") + ").", true);
        });
    }

    input.addEventListener("input", debounce(search, 200));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
