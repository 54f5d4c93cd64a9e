/* sanctionscope: the sanctions network as a d3-force graph.
 * Plain ES2019, no build step. Needs /static/vendor/d3.min.js loaded before it.
 * Does nothing if #network is absent. */
(function () {
  "use strict";

  var WIDTH = 800;
  var HEIGHT = 560;
  var EDGE_KINDS = [
    { cls: "edge-sanction", label: "Sanction (measures imposed on the target)" },
    { cls: "edge-countermeasure", label: "Countermeasure (retaliation)" },
    { cls: "edge-spared", label: "Sanctioning jurisdiction spared by the countermeasures" }
  ];

  function responseError(resp) {
    return resp.text().then(function (text) {
      var body = null;
      try { body = JSON.parse(text); } catch (e) { body = null; }
      var msg;
      if (body && (body.title || body.detail)) {
        msg = body.title && body.detail ? body.title + ": " + body.detail : (body.title || body.detail);
      } else {
        msg = "Could not load the sanctions network: the server answered " + resp.status +
          (resp.statusText ? " " + resp.statusText : "") + ".";
      }
      var err = new Error(msg);
      err.readable = true;
      throw err;
    });
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function edgeKind(e) {
    if (e.spared) return "edge-spared";
    if (e.countermeasure) return "edge-countermeasure";
    return "edge-sanction";
  }

  function edgeClass(e) {
    var cls = "edge " + (e.countermeasure ? "edge-countermeasure" : "edge-sanction");
    if (e.spared) cls += " edge-spared";
    return cls;
  }

  function init() {
    var root = document.getElementById("network");
    if (!root) return;

    var statusEl = document.getElementById("network-status");
    if (!statusEl) {
      statusEl = document.createElement("p");
      statusEl.id = "network-status";
      statusEl.setAttribute("role", "status");
      root.parentNode.insertBefore(statusEl, root.nextSibling);
    }
    function setStatus(text, isError) {
      statusEl.textContent = text;
      statusEl.classList.toggle("status-error", !!isError);
    }

    if (typeof window.d3 === "undefined") {
      setStatus("The network cannot be drawn: its script (d3) did not load.", true);
      return;
    }
    var d3 = window.d3;
    var src = root.dataset.src || "/v1/network";

    root.setAttribute("aria-busy", "true");
    setStatus("Loading the sanctions network…", false);

    fetch(src, { headers: { Accept: "application/json" } })
      .then(function (resp) {
        if (!resp.ok) return responseError(resp);
        return resp.json();
      })
      .then(function (data) {
        draw(d3, root, data);
        var n = (data.nodes || []).length;
        var m = (data.edges || []).length;
        setStatus(plural(n, "jurisdiction", "jurisdictions") + ", " + plural(m, "relation", "relations"), false);
      })
      .catch(function (err) {
        setStatus(err && err.readable ? err.message
          : "Could not load the sanctions network (" + (err && err.message ? err.message : "network error") + ").", true);
      })
      .then(function () { root.removeAttribute("aria-busy"); });
  }

  function draw(d3, root, data) {
    var nodes = (data.nodes || []).map(function (n) { return Object.assign({}, n); });
    var byId = new Map(nodes.map(function (n) { return [n.id, n]; }));
    var edges = (data.edges || []).map(function (e) { return Object.assign({}, e); });
    /* Tolerate edges that name a jurisdiction missing from nodes. */
    edges.forEach(function (e) {
      [e.source, e.target].forEach(function (id) {
        if (!byId.has(id)) {
          var n = { id: id, name: id, kind: "unknown" };
          nodes.push(n);
          byId.set(id, n);
        }
      });
    });
    /* Curve edges whose reverse also exists so both arrows stay visible. */
    var pairs = new Set(edges.map(function (e) { return e.source + "\u0000" + e.target; }));
    edges.forEach(function (e) { e.curved = pairs.has(e.target + "\u0000" + e.source); });

    var degree = new Map();
    edges.forEach(function (e) {
      degree.set(e.source, (degree.get(e.source) || 0) + 1);
      degree.set(e.target, (degree.get(e.target) || 0) + 1);
    });
    nodes.forEach(function (n) { n.r = 6 + Math.min(14, Math.sqrt(degree.get(n.id) || 0) * 2.5); });

    root.textContent = "";
    var label = "Sanctions network" + (data.on ? " on " + data.on : "") + ": " +
      plural(nodes.length, "jurisdiction", "jurisdictions") + ", " + plural(edges.length, "relation", "relations") +
      ". The same relations are listed in the table below.";
    var svg = d3.select(root).append("svg")
      .attr("class", "network-graph")
      .attr("role", "img")
      .attr("aria-label", label)
      .attr("viewBox", "0 0 " + WIDTH + " " + HEIGHT)
      .attr("width", "100%")
      .attr("preserveAspectRatio", "xMidYMid meet");
    svg.append("title").text(label);

    var defs = svg.append("defs");
    EDGE_KINDS.forEach(function (k) {
      defs.append("marker")
        .attr("id", "arrow-" + k.cls)
        .attr("class", "marker marker-" + k.cls)
        .attr("viewBox", "0 -5 10 10")
        .attr("refX", 9)
        .attr("refY", 0)
        .attr("markerWidth", 7)
        .attr("markerHeight", 7)
        .attr("markerUnits", "userSpaceOnUse")
        .attr("orient", "auto")
        .append("path")
        .attr("d", "M0,-5L10,0L0,5Z");
    });

    var gEdges = svg.append("g").attr("class", "edges");
    var gNodes = svg.append("g").attr("class", "nodes");

    var link = gEdges.selectAll("path")
      .data(edges)
      .join("path")
      .attr("class", edgeClass)
      .attr("fill", "none")
      .attr("marker-end", function (e) { return "url(#arrow-" + edgeKind(e) + ")"; });
    link.append("title").text(function (e) {
      var s = byId.get(e.source), t = byId.get(e.target);
      var kind = e.countermeasure ? "countermeasure" : "sanction";
      if (e.spared) kind += ", spared by the countermeasures";
      return (s ? s.name : e.source) + " → " + (t ? t.name : e.target) + " (" + kind + "): " +
        (e.types || []).join(", ") + ((e.measures || []).length ? " — " + e.measures.join(", ") : "");
    });

    var node = gNodes.selectAll("g")
      .data(nodes)
      .join("g")
      .attr("class", function (n) { return "node node-" + (n.kind || "unknown"); });
    node.append("circle").attr("r", function (n) { return n.r; });
    node.append("text")
      .attr("dy", function (n) { return -n.r - 4; })
      .attr("text-anchor", "middle")
      .text(function (n) { return n.id; });
    node.append("title").text(function (n) { return n.name + " (" + n.id + (n.kind ? ", " + n.kind : "") + ")"; });

    function clampX(x) { return Math.max(20, Math.min(WIDTH - 20, x)); }
    function clampY(y) { return Math.max(24, Math.min(HEIGHT - 12, y)); }

    function linkPath(e) {
      var s = e.source, t = e.target;
      var dx = t.x - s.x, dy = t.y - s.y;
      var dist = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / dist, uy = dy / dist;
      /* start and stop at the circle edges so arrowheads are visible */
      var x1 = s.x + ux * s.r, y1 = s.y + uy * s.r;
      var x2 = t.x - ux * (t.r + 2), y2 = t.y - uy * (t.r + 2);
      if (!e.curved) return "M" + x1 + "," + y1 + "L" + x2 + "," + y2;
      var off = Math.min(40, dist * 0.15);
      var cx = (x1 + x2) / 2 - uy * off, cy = (y1 + y2) / 2 + ux * off;
      return "M" + x1 + "," + y1 + "Q" + cx + "," + cy + " " + x2 + "," + y2;
    }

    function ticked() {
      nodes.forEach(function (n) { n.x = clampX(n.x); n.y = clampY(n.y); });
      link.attr("d", linkPath);
      node.attr("transform", function (n) { return "translate(" + n.x + "," + n.y + ")"; });
    }

    var simulation = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(edges).id(function (n) { return n.id; }).distance(110).strength(0.4))
      .force("charge", d3.forceManyBody().strength(-320))
      .force("center", d3.forceCenter(WIDTH / 2, HEIGHT / 2))
      .force("x", d3.forceX(WIDTH / 2).strength(0.05))
      .force("y", d3.forceY(HEIGHT / 2).strength(0.07))
      .force("collide", d3.forceCollide(function (n) { return n.r + 14; }))
      .alphaDecay(0.05)
      .on("tick", ticked);

    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (reduceMotion) {
      simulation.stop();
      for (var i = 0; i < 200; i++) simulation.tick();
      ticked();
    }

    node.call(d3.drag()
      .on("start", function (event, n) {
        if (!event.active) simulation.alphaTarget(0.2).restart();
        n.fx = n.x; n.fy = n.y;
        this.classList.add("dragging");
      })
      .on("drag", function (event, n) {
        n.fx = clampX(event.x); n.fy = clampY(event.y);
        if (reduceMotion) { n.x = n.fx; n.y = n.fy; ticked(); }
      })
      .on("end", function (event, n) {
        if (!event.active) simulation.alphaTarget(0);
        /* keep the node where it was dropped */
        this.classList.remove("dragging");
      }));
    node.on("dblclick", function (event, n) {
      /* double-click releases a pinned node */
      n.fx = null; n.fy = null;
      simulation.alpha(0.3).restart();
    });

    /* legend */
    var legend = document.createElement("ul");
    legend.className = "network-legend";
    EDGE_KINDS.forEach(function (k) {
      var li = document.createElement("li");
      li.innerHTML = '<svg class="legend-line" width="40" height="12" viewBox="0 0 40 12" aria-hidden="true" focusable="false">' +
        '<line x1="2" y1="6" x2="38" y2="6"></line></svg>';
      /* legend-* classes, so that counting .edge-* elements counts only the graph's edges */
      li.firstChild.firstChild.setAttribute("class", "legend-edge legend-" + k.cls);
      li.appendChild(document.createTextNode(" " + k.label));
      legend.appendChild(li);
    });
    var hint = document.createElement("li");
    hint.className = "legend-hint";
    hint.textContent = "Drag a jurisdiction to move it; double-click to release it.";
    legend.appendChild(hint);
    root.appendChild(legend);

    /* accessible alternative: the relations as a table */
    var details = document.createElement("details");
    details.className = "network-table";
    var summary = document.createElement("summary");
    summary.textContent = "Relations as a table";
    details.appendChild(summary);
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    var table = document.createElement("table");
    var thead = table.createTHead().insertRow();
    ["From", "To", "Kind", "Types", "Measures"].forEach(function (h) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      thead.appendChild(th);
    });
    var tbody = table.createTBody();
    edges.forEach(function (e) {
      var s = e.source, t = e.target;
      var tr = tbody.insertRow();
      tr.className = edgeClass(e).replace(/\bedge\b/, "").trim().split(" ").map(function (c) { return "row-" + c; }).join(" ");
      var kind = e.countermeasure ? "countermeasure" : "sanction";
      if (e.spared) kind += " (spared)";
      [s.name || s.id, t.name || t.id, kind, (e.types || []).join(", "), (e.measures || []).join(", ")].forEach(function (v) {
        tr.insertCell().textContent = v;
      });
    });
    wrap.appendChild(table);
    details.appendChild(wrap);
    root.appendChild(details);

    if (!edges.length) {
      var p = document.createElement("p");
      p.className = "network-empty";
      p.textContent = "No sanctions or countermeasures are in force on this date.";
      root.insertBefore(p, root.firstChild);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
