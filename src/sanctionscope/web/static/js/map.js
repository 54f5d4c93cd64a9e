/* sanctionscope: world map coloured by sanctions status, with a date slider.
 * Plain ES2019, no build step. Needs /static/vendor/d3.min.js and
 * /static/vendor/topojson-client.min.js loaded before it.
 * Does nothing if #map is absent. */
(function () {
  "use strict";

  var STATUSES = ["focus", "sanctioning", "countersanctioned", "spared", "target", "none"];
  var SUMMARY_ORDER = ["sanctioning", "countersanctioned", "spared", "target"];
  var DEFAULT_LEGEND = {
    focus: "The country chosen",
    sanctioning: "Imposes measures on it, not hit back",
    countersanctioned: "Imposes measures on it and is hit by its countermeasures",
    spared: "Imposes measures on it but its countermeasures leave it out",
    target: "Is targeted by its measures without sanctioning it",
    none: "No measure either way in the data set"
  };

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      var self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function padId(id) {
    if (id === undefined || id === null || id === "") return null;
    return String(id).padStart(3, "0");
  }

  /* Turn a failed response into a readable sentence (RFC 9457 problem details if present). */
  function responseError(resp) {
    return resp.text().then(function (text) {
      var body = null;
      try { body = JSON.parse(text); } catch (e) { body = null; }
      var msg;
      if (body && (body.title || body.detail)) {
        msg = body.title && body.detail ? body.title + ": " + body.detail : (body.title || body.detail);
      } else {
        msg = "Could not load the map data: the server answered " + resp.status +
          (resp.statusText ? " " + resp.statusText : "") + ".";
      }
      var err = new Error(msg);
      err.readable = true;
      throw err;
    });
  }

  function readableError(err, what) {
    if (err && err.readable) return err.message;
    return "Could not load " + what + " (" + (err && err.message ? err.message : "network error") + ").";
  }

  function init() {
    var root = document.getElementById("map");
    if (!root) return;

    var statusEl = document.getElementById("map-status");
    if (!statusEl) {
      statusEl = document.createElement("p");
      statusEl.id = "map-status";
      statusEl.setAttribute("role", "status");
      statusEl.setAttribute("aria-live", "polite");
      root.parentNode.insertBefore(statusEl, root.nextSibling);
    }
    function setStatus(text, isError) {
      statusEl.textContent = text;
      statusEl.classList.toggle("status-error", !!isError);
    }

    if (typeof window.d3 === "undefined" || typeof window.topojson === "undefined") {
      setStatus("The map cannot be drawn: its scripts (d3, topojson-client) did not load.", true);
      return;
    }
    var d3 = window.d3;

    var form = document.getElementById("map-controls");
    var focusInput = document.getElementById("map-focus");
    var dateInput = document.getElementById("map-date");
    var dateLabel = document.getElementById("map-date-label");
    var table = document.getElementById("map-table");
    var tbody = table ? (table.tBodies[0] || table.appendChild(document.createElement("tbody"))) : null;

    var days = [];
    if (dateInput && dateInput.dataset.days) {
      try { days = JSON.parse(dateInput.dataset.days); } catch (e) { days = []; }
      if (!Array.isArray(days)) days = [];
    }

    /* A permalink (?on=…&focus=…) overrides the initial control values. */
    var params = new URLSearchParams(window.location.search);
    if (dateInput && params.get("on")) {
      var idx = days.indexOf(params.get("on"));
      if (idx >= 0) dateInput.value = String(idx);
    }
    if (focusInput && params.get("focus") && !focusInput.value) {
      focusInput.value = params.get("focus");
    }

    function currentDate() {
      if (dateInput) {
        var i = parseInt(dateInput.value, 10);
        if (!isNaN(i) && days[i]) return days[i];
      }
      if (params.get("on")) return params.get("on");
      if (dateLabel && /^\d{4}-\d{2}-\d{2}$/.test(dateLabel.textContent.trim())) {
        return dateLabel.textContent.trim();
      }
      return new Date().toISOString().slice(0, 10);
    }
    function currentFocus() {
      var v = focusInput ? focusInput.value : (params.get("focus") || "");
      return v.trim().toUpperCase();
    }
    function showDate(on) {
      if (dateLabel) {
        dateLabel.textContent = on;
        if ("value" in dateLabel) dateLabel.value = on;
      }
      if (dateInput) dateInput.setAttribute("aria-valuetext", on);
    }

    /* ---- geometry, drawn once ---- */
    var width = 960;
    var svg = d3.select(root).append("svg")
      .attr("class", "world-map")
      .attr("role", "img")
      .attr("aria-label", "World map of sanctions status")
      .attr("width", "100%")
      .attr("preserveAspectRatio", "xMidYMid meet");
    var titleEl = svg.append("title").text("World map of sanctions status");
    var gSphere = svg.append("g").attr("class", "map-sphere");
    var gCountries = svg.append("g").attr("class", "map-countries");
    var legendEl = document.createElement("div");
    legendEl.id = "map-legend";
    legendEl.className = "map-legend";
    root.appendChild(legendEl);

    var paths = null;
    var geometryUrl = root.dataset.geometry || "/static/vendor/countries-110m.json";
    var geometryReady = d3.json(geometryUrl).then(function (topo) {
      var objName = topo.objects.countries ? "countries" : Object.keys(topo.objects)[0];
      var features = window.topojson.feature(topo, topo.objects[objName]).features;
      var sphere = { type: "Sphere" };
      var projection = d3.geoNaturalEarth1().fitWidth(width, sphere);
      var path = d3.geoPath(projection);
      var b = path.bounds(sphere);
      var height = Math.ceil(b[1][1] + b[0][1]);
      svg.attr("viewBox", "0 0 " + width + " " + height);
      gSphere.append("path").datum(sphere).attr("class", "sphere").attr("d", path);
      paths = gCountries.selectAll("path")
        .data(features)
        .join("path")
        .attr("class", "country status-none")
        .attr("d", path)
        .attr("data-numeric", function (f) { return padId(f.id) || ""; });
      paths.append("title").text(function (f) {
        return ((f.properties && f.properties.name) || "Unknown") + " — none";
      });
      return paths;
    });

    /* ---- data, fetched on every change ---- */
    var seq = 0;
    var controller = null;
    var activeKey = null; /* "on|focus" of the request in flight or last shown */

    // Measures addressed to every partner (erga omnes) are listed once, not painted on every country.
    function renderAll(measures) {
      var box = document.getElementById("map-all");
      if (!box) return;
      var list = box.querySelector("ul");
      list.textContent = "";
      measures.forEach(function (m) {
        var li = document.createElement("li");
        var text = m.title + " (" + m.id + ")";
        var except = (m.excluding || []).map(function (x) { return x.name; });
        if (except.length) text += ", except " + except.join(", ");
        li.textContent = text;
        list.appendChild(li);
      });
      box.hidden = measures.length === 0;
    }

    function renderLegend(legend) {
      legend = legend || DEFAULT_LEGEND;
      var keys = Object.keys(legend);
      var ul = document.createElement("ul");
      ul.className = "legend-list";
      keys.forEach(function (k) {
        var li = document.createElement("li");
        var sw = document.createElement("span");
        sw.className = "swatch status-" + k;
        sw.setAttribute("aria-hidden", "true");
        var name = document.createElement("strong");
        name.textContent = k;
        li.appendChild(sw);
        li.appendChild(name);
        li.appendChild(document.createTextNode(": " + legend[k]));
        ul.appendChild(li);
      });
      var heading = document.createElement("p");
      heading.className = "legend-title";
      heading.textContent = "Legend";
      legendEl.textContent = "";
      legendEl.appendChild(heading);
      legendEl.appendChild(ul);
    }

    function renderData(data, on, focus) {
      var byNumeric = new Map();
      var counts = {};
      STATUSES.forEach(function (s) { counts[s] = 0; });
      (data.countries || []).forEach(function (c) {
        var n = padId(c.numeric);
        if (n) byNumeric.set(n, c);
        var s = STATUSES.indexOf(c.status) >= 0 ? c.status : "none";
        counts[s] = (counts[s] || 0) + 1;
      });

      if (paths) {
        paths.each(function (f) {
          var n = padId(f.id);
          var c = n ? byNumeric.get(n) : null;
          var status = c && STATUSES.indexOf(c.status) >= 0 ? c.status : "none";
          var name = (c && c.name) || (f.properties && f.properties.name) || "Unknown";
          this.setAttribute("class", "country status-" + status);
          var t = this.querySelector("title");
          if (t) t.textContent = name + " — " + status;
        });
      }

      var focusName = focus;
      (data.countries || []).forEach(function (c) {
        if (c.status === "focus" && c.name) focusName = c.name;
      });
      var label = "World map of sanctions status on " + on + " for " + focusName;
      svg.attr("aria-label", label);
      titleEl.text(label);

      renderLegend(data.legend);
      renderAll(data.addressed_to_all || []);

      if (tbody) {
        var frag = document.createDocumentFragment();
        (data.countries || []).forEach(function (c) {
          if (!c.status || c.status === "none") return;
          var tr = document.createElement("tr");
          tr.className = "status-row-" + c.status;
          [c.name || c.id || c.numeric, c.status, (c.measures || []).join(", ")].forEach(function (v) {
            var td = document.createElement("td");
            td.textContent = v == null ? "" : String(v);
            tr.appendChild(td);
          });
          frag.appendChild(tr);
        });
        tbody.textContent = "";
        tbody.appendChild(frag);
      }

      var parts = SUMMARY_ORDER.filter(function (s) { return counts[s] > 0; })
        .map(function (s) { return counts[s] + " " + s; });
      setStatus((data.on || on) + ": " + (parts.length ? parts.join(", ") : "no measures either way"), false);
    }

    function update() {
      var on = currentDate();
      var focus = currentFocus();
      showDate(on);
      if (!focus) {
        setStatus("Enter a country code (for example RU) to colour the map.", true);
        return;
      }

      var key = on + "|" + focus;
      if (key === activeKey) return;
      activeKey = key;

      /* permalink */
      try {
        var url = new URL(window.location.href);
        url.searchParams.set("on", on);
        url.searchParams.set("focus", focus);
        window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
      } catch (e) { /* history not available: ignore */ }

      var mine = ++seq;
      if (controller) controller.abort();
      controller = typeof AbortController !== "undefined" ? new AbortController() : null;
      root.setAttribute("aria-busy", "true");
      setStatus("Loading " + on + "…", false);

      var q = "/v1/map?on=" + encodeURIComponent(on) + "&focus=" + encodeURIComponent(focus);
      var dataReq = fetch(q, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (resp) {
          if (!resp.ok) return responseError(resp);
          return resp.json();
        });

      var geometryError = null;
      Promise.all([geometryReady.catch(function (err) {
        geometryError = readableError(err, "the world map geometry");
        return null;
      }), dataReq]).then(function (res) {
        if (mine !== seq) return;
        renderData(res[1], on, focus);
        if (geometryError) {
          setStatus(statusEl.textContent + " — " + geometryError + " The table below still lists every country.", true);
        }
      }).catch(function (err) {
        if (err && err.name === "AbortError") return;
        if (mine !== seq) return;
        activeKey = null; /* allow a retry of the same date and country */
        setStatus(readableError(err, "the map data for " + on), true);
      }).then(function () {
        if (mine === seq) root.removeAttribute("aria-busy");
      });
    }

    var debounced = debounce(update, 150);
    if (dateInput) {
      dateInput.addEventListener("input", function () {
        var i = parseInt(dateInput.value, 10);
        if (days[i]) showDate(days[i]);
        debounced();
      });
      dateInput.addEventListener("change", debounced);
    }
    if (focusInput) {
      focusInput.addEventListener("change", update);
    }
    if (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        update();
      });
    }

    renderLegend(null);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
