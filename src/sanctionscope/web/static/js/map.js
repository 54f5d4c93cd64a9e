/* sanctionscope: world map coloured by sanctions status, with a date slider.
 * Plain ES2019, no build step. Needs /static/vendor/d3.min.js and
 * /static/vendor/topojson-client.min.js loaded before it. Does nothing if #map is absent.
 *
 * The map colours countries for the slider's day and the focus typed; the rest of the
 * page (sections, links, permalink) follows through the "sanctionscope:state" event,
 * which research.js answers. A click on a country (or on the circle of a small state the
 * world geometry does not draw) asks research.js for the country's panel
 * ("sanctionscope:country"). */
(function () {
  "use strict";

  var STATUSES = ["focus", "sanctioning", "countersanctioned", "spared", "target", "persons", "persons-hit", "none"];
  var SUMMARY_ORDER = ["sanctioning", "countersanctioned", "spared", "target", "persons", "persons-hit"];
  var DEFAULT_LEGEND = {
    focus: "The country chosen",
    sanctioning: "Imposes measures on it (it has no countermeasures in force)",
    countersanctioned: "Imposes measures on it and is hit by its countermeasures",
    spared: "Imposes measures on it but its countermeasures leave it out",
    target: "Hit by its measures without imposing any on it",
    persons: "Imposes measures only on persons or entities of it, not on the state (shown apart)",
    "persons-hit": "Imposes measures only on persons or entities of it, and is hit by its countermeasures",
    none: "No measure either way in the data set"
  };
  /* States too small for the 1:110m world geometry, drawn as circles [lon, lat]. */
  var SMALL = {
    AD: [1.52, 42.55], LI: [9.55, 47.16], MC: [7.42, 43.74], SM: [12.46, 43.94], VA: [12.45, 41.9],
    MT: [14.45, 35.9], GI: [-5.35, 36.14], FO: [-6.9, 62.0], BH: [50.55, 26.05], SG: [103.82, 1.35],
    HK: [114.17, 22.3], MO: [113.55, 22.2], MV: [73.5, 4.2], MU: [57.55, -20.25], SC: [55.45, -4.6],
    KM: [43.3, -11.7], CV: [-23.6, 15.1], ST: [6.6, 0.2], AG: [-61.8, 17.08], BB: [-59.55, 13.17],
    DM: [-61.37, 15.42], GD: [-61.68, 12.12], KN: [-62.75, 17.3], LC: [-60.98, 13.9], VC: [-61.2, 13.25],
    FM: [158.2, 6.9], KI: [173.0, 1.4], MH: [171.2, 7.1], NR: [166.93, -0.53], PW: [134.58, 7.5],
    TO: [-175.2, -21.2], TV: [179.2, -8.5], WS: [-172.1, -13.75]
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
        msg = body.detail || body.title;
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
    var errorEl = document.getElementById("map-error");
    function setStatus(text, isError) {
      statusEl.textContent = text;
      statusEl.classList.toggle("status-error", !!isError);
    }
    function setError(text) {
      if (!errorEl) return;
      errorEl.textContent = text || "";
      errorEl.hidden = !text;
      var input = document.getElementById("map-focus");
      if (input) {
        if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      }
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
    var dayInput = document.getElementById("map-on");
    var days = [];
    var ticks = [];
    try { days = JSON.parse(dateInput.dataset.days); } catch (e) { days = []; }
    try { ticks = JSON.parse(dateInput.dataset.ticks); } catch (e) { ticks = []; }
    var sections = document.getElementById("research-sections");
    var shownFocus = sections ? sections.dataset.focus : "";

    function currentDate() {
      var i = parseInt(dateInput.value, 10);
      if (!isNaN(i) && days[i]) return days[i];
      return dateLabel.textContent.trim();
    }
    function currentFocus() {
      return focusInput ? focusInput.value.trim() : "";
    }
    function showDate(on) {
      dateLabel.textContent = on;
      if ("value" in dateLabel) dateLabel.value = on;
      dateInput.setAttribute("aria-valuetext", on);
      if (dayInput) dayInput.value = on;
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
    var gSmall = svg.append("g").attr("class", "map-small");
    var legendEl = document.createElement("div");
    legendEl.id = "map-legend";
    legendEl.className = "map-legend";
    root.appendChild(legendEl);

    var paths = null;
    var circles = null;
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
      circles = gSmall.selectAll("circle")
        .data(Object.keys(SMALL))
        .join("circle")
        .attr("class", "country small-state status-none")
        .attr("data-id", function (id) { return id; })
        .attr("r", 4)
        .attr("cx", function (id) { return projection(SMALL[id])[0]; })
        .attr("cy", function (id) { return projection(SMALL[id])[1]; });
      circles.append("title").text(function (id) { return id; });
      return paths;
    });

    /* ---- a click on a country opens its panel ---- */
    var byNumeric = new Map();
    var byId = new Map();
    svg.on("click", function (event) {
      var el = event.target;
      if (!el || !el.classList || !el.classList.contains("country")) return;
      var c = el.dataset.id ? byId.get(el.dataset.id) : byNumeric.get(el.dataset.numeric);
      if (!c) return;
      document.dispatchEvent(new CustomEvent("sanctionscope:country", { detail: { country: c.id } }));
    });

    // Measures addressed to every partner (erga omnes) are listed by the page's sections.
    function renderLegend(legend) {
      legend = legend || DEFAULT_LEGEND;
      var ul = document.createElement("ul");
      ul.className = "legend-list";
      Object.keys(legend).forEach(function (k) {
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
      heading.textContent = "Legend (click a country, or a circle for a small state, for its measures)";
      legendEl.textContent = "";
      legendEl.appendChild(heading);
      legendEl.appendChild(ul);
    }

    function paint(statusOf, nameOf) {
      if (paths) {
        paths.each(function (f) {
          var n = padId(f.id);
          var status = statusOf(n, null);
          this.setAttribute("class", "country status-" + status);
          var t = this.querySelector("title");
          if (t) t.textContent = nameOf(n, null, (f.properties && f.properties.name) || "Unknown") + " — " + status;
        });
      }
      if (circles) {
        circles.each(function (id) {
          var status = statusOf(null, id);
          this.setAttribute("class", "country small-state status-" + status);
          var t = this.querySelector("title");
          if (t) t.textContent = nameOf(null, id, id) + " — " + status;
        });
      }
    }

    function renderData(data, on) {
      byNumeric = new Map();
      byId = new Map();
      var counts = {};
      STATUSES.forEach(function (s) { counts[s] = 0; });
      (data.countries || []).forEach(function (c) {
        var n = padId(c.numeric);
        if (n) byNumeric.set(n, c);
        byId.set(c.id, c);
        var s = STATUSES.indexOf(c.status) >= 0 ? c.status : "none";
        counts[s] = (counts[s] || 0) + 1;
      });
      function find(n, id) { return id ? byId.get(id) : (n ? byNumeric.get(n) : null); }
      paint(function (n, id) {
        var c = find(n, id);
        return c && STATUSES.indexOf(c.status) >= 0 ? c.status : "none";
      }, function (n, id, fallback) {
        var c = find(n, id);
        return (c && c.name) || fallback;
      });

      var focusName = data.focus;
      (data.countries || []).forEach(function (c) {
        if (c.status === "focus" && c.name) focusName = c.name;
      });
      var label = "World map of sanctions status on " + on + " for " + focusName;
      svg.attr("aria-label", label);
      titleEl.text(label);
      renderLegend(data.legend);

      var parts = SUMMARY_ORDER.filter(function (s) { return counts[s] > 0; })
        .map(function (s) { return counts[s] + " " + s; });
      setStatus((data.on || on) + ", " + focusName + ": " +
        (parts.length ? parts.join(", ") : "no measures either way"), false);
    }

    /* A focus the server does not know: say so with the input as typed, and leave no
     * colours of the previous focus on the map. */
    function clearMap(message) {
      byNumeric = new Map();
      byId = new Map();
      paint(function () { return "none"; }, function (n, id, fallback) { return fallback; });
      svg.attr("aria-label", "World map of sanctions status: no country chosen");
      setError(message);
      setStatus("The map is blank until a known country is chosen.", true);
    }

    var seq = 0;
    var controller = null;
    var activeKey = null; /* "on|focus" of the request in flight or last shown */

    function update() {
      var on = currentDate();
      var focus = currentFocus();
      showDate(on);
      if (!focus) {
        clearMap("focus: give a country as a name, ISO2 or ISO3 code (for example RU).");
        return;
      }
      var key = on + "|" + focus;
      if (key === activeKey) return;
      activeKey = key;
      document.dispatchEvent(new CustomEvent("sanctionscope:state", { detail: { on: on, focus: focus } }));

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
        setError("");
        renderData(res[1], on);
        if (geometryError) {
          setStatus(statusEl.textContent + " — " + geometryError + " The table below still lists every country.", true);
        }
      }).catch(function (err) {
        if (err && err.name === "AbortError") return;
        if (mine !== seq) return;
        activeKey = null; /* allow a retry of the same date and country */
        if (err && err.readable) {
          clearMap(err.message);
        } else {
          setStatus(readableError(err, "the map data for " + on), true);
        }
      }).then(function () {
        if (mine === seq) root.removeAttribute("aria-busy");
      });
    }

    var debounced = debounce(update, 150);
    dateInput.addEventListener("input", function () {
      var i = parseInt(dateInput.value, 10);
      if (days[i]) showDate(days[i]);
      debounced();
    });
    dateInput.addEventListener("change", debounced);
    if (focusInput) focusInput.addEventListener("change", update);

    function step(direction) {
      var i = parseInt(dateInput.value, 10);
      var next = direction > 0
        ? ticks.filter(function (t) { return t > i; })[0]
        : ticks.filter(function (t) { return t < i; }).pop();
      if (next === undefined) return;
      dateInput.value = String(next);
      update();
    }
    var prev = document.getElementById("map-prev");
    var nextBtn = document.getElementById("map-next");
    if (prev) prev.addEventListener("click", function () { step(-1); });
    if (nextBtn) nextBtn.addEventListener("click", function () { step(1); });

    if (form) {
      form.addEventListener("submit", function (ev) {
        /* a day that is a slider stop moves the slider; any other day reloads the page,
         * whose server adds it as a stop */
        var typed = dayInput ? dayInput.value : "";
        var i = days.indexOf(typed);
        if (typed && i < 0) return;
        ev.preventDefault();
        if (i >= 0) dateInput.value = String(i);
        update();
      });
    }

    renderLegend(null);
    /* The server rendered the sections for this state: the first update only colours. */
    activeKey = null;
    var first = currentDate() + "|" + currentFocus();
    if (currentFocus() !== shownFocus) {
      update(); /* a focus the server refused: show the error, blank map */
    } else {
      activeKey = first;
      var on0 = currentDate();
      fetch("/v1/map?on=" + encodeURIComponent(on0) + "&focus=" + encodeURIComponent(currentFocus()),
        { headers: { Accept: "application/json" } })
        .then(function (resp) { return resp.ok ? resp.json() : responseError(resp); })
        .then(function (data) { return geometryReady.then(function () { renderData(data, on0); }); })
        .catch(function (err) { setStatus(readableError(err, "the map data for " + on0), true); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
