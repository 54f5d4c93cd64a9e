/* sanctionscope: one date and one focus drive the whole research page.
 * Plain ES2019, no build step, no framework. Does nothing without #research-sections.
 *
 * When map.js reports a new state ("sanctionscope:state": the slider moved, the focus
 * changed), the page's sections are fetched again from the server for that state
 * (/research/sections: the same template the page was rendered with) and swapped in;
 * the network is drawn again, the share box set up again, and the URL rewritten with
 * history.replaceState, so the address bar is always the permalink of what is shown.
 * A country asked for ("sanctionscope:country": a click on the map or a table link)
 * opens its panel, fetched from /research/country and kept in the URL too. */
(function () {
  "use strict";

  var state = { on: "", focus: "", country: "" };
  var seq = 0;
  var panelSeq = 0;

  function query(withCountry) {
    var q = new URLSearchParams();
    q.set("on", state.on);
    q.set("focus", state.focus);
    if (withCountry && state.country) q.set("country", state.country);
    return q.toString();
  }

  function writeUrl() {
    try {
      var url = "/research?" + query(true) + (state.country ? "#country-panel" : "");
      window.history.replaceState(window.history.state, "", url);
    } catch (e) { /* history not available: the links on the page still carry the state */ }
  }

  function afterSwap() {
    if (window.sanctionscopeNetwork) window.sanctionscopeNetwork.init();
    if (window.sanctionscopeShare) window.sanctionscopeShare.init();
  }

  function loadSections(box) {
    var mine = ++seq;
    box.setAttribute("aria-busy", "true");
    return fetch("/research/sections?" + query(false), { headers: { Accept: "text/html" } })
      .then(function (resp) {
        return resp.text().then(function (html) { return { ok: resp.ok, html: html }; });
      })
      .then(function (res) {
        if (mine !== seq) return;
        var error = document.getElementById("map-error");
        if (!res.ok) {
          /* an unknown focus: the error is shown by the map; no section keeps the old state */
          var tmp = document.createElement("div");
          tmp.innerHTML = res.html;
          if (error) {
            error.textContent = tmp.textContent.trim();
            error.hidden = false;
          }
          box.hidden = true;
          closePanel(true);
          return;
        }
        box.innerHTML = res.html;
        box.hidden = false;
        /* the server's reading of the state: the focus as an id (typed "Ukraine" is UA) */
        var shown = box.querySelector("#network");
        if (shown) {
          state.on = shown.dataset.on;
          state.focus = shown.dataset.focus;
        }
        box.dataset.on = state.on;
        box.dataset.focus = state.focus;
        document.title = "Who sanctions whom on " + state.on + " · sanctionscope";
        afterSwap();
        writeUrl();
        if (state.country) loadPanel();
      })
      .catch(function () {
        if (mine !== seq) return;
        var status = document.getElementById("map-status");
        if (status) status.textContent = "Could not load the page's sections for " + state.on + ".";
      })
      .then(function () { if (mine === seq) box.removeAttribute("aria-busy"); });
  }

  function closePanel(keepUrl) {
    var panel = document.getElementById("country-panel");
    if (!panel) return;
    panel.hidden = true;
    panel.textContent = "";
    state.country = "";
    if (!keepUrl) writeUrl();
  }

  function loadPanel(focusIt) {
    var panel = document.getElementById("country-panel");
    if (!panel || !state.country) return;
    var mine = ++panelSeq;
    var q = query(false) + "&country=" + encodeURIComponent(state.country);
    fetch("/research/country?" + q, { headers: { Accept: "text/html" } })
      .then(function (resp) { return resp.text(); })
      .then(function (html) {
        if (mine !== panelSeq) return;
        panel.innerHTML = html;
        panel.hidden = false;
        writeUrl();
        if (focusIt) {
          panel.focus({ preventScroll: true });
          panel.scrollIntoView({ block: "nearest" });
        }
      });
  }

  function init() {
    var box = document.getElementById("research-sections");
    if (!box) return;
    state.on = box.dataset.on;
    state.focus = box.dataset.focus;
    var params = new URLSearchParams(window.location.search);
    state.country = params.get("country") || "";

    document.addEventListener("sanctionscope:state", function (ev) {
      var d = ev.detail || {};
      if (d.on === state.on && d.focus === state.focus && !box.hidden && !box.hasAttribute("aria-busy")) return;
      state.on = d.on;
      state.focus = d.focus;
      loadSections(box);
    });
    document.addEventListener("sanctionscope:country", function (ev) {
      state.country = (ev.detail || {}).country || "";
      loadPanel(true);
    });
    /* links to a country's panel (the map's table, the small states) open it in place */
    document.addEventListener("click", function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a.country-link") : null;
      if (a && a.dataset.country) {
        ev.preventDefault();
        state.country = a.dataset.country;
        loadPanel(true);
        return;
      }
      if (ev.target && ev.target.id === "country-close") closePanel(false);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
