/* sanctionscope: the sanctions network on a day, drawn to be read from one country.
 * Plain ES2019, no build step. Needs /static/vendor/d3.min.js loaded before it.
 * Does nothing if #network is absent.
 *
 * The server computes the view (research/network.py, focus_view) and puts it in
 * #network's data-view: the focus, its partners grouped by status, and the relations
 * that do not involve it. Drawn here as columns, so that no edge crosses a node:
 *   [imposers on the focus, by group]  ->  (focus)  ->  [targets of the focus, lists]
 * and below, the other relations of the day as imposers -> targets. Targets addressed
 * to all partners or to a list are one node each, never an edge to every member.
 * Names are written out; every node and edge has a tooltip (<title>) with the measures
 * by type. window.sanctionscopeNetwork.init() draws again (the page swaps #network in). */
(function () {
  "use strict";

  var W = 1000;
  var LEFT = 215;
  var RIGHT = W - LEFT;
  var ROW = 30;
  var HEAD = 28;
  var R = 9;
  var FR = 30;
  var EDGE_KINDS = [
    { cls: "edge-sanction", label: "Measures on the state (imposer → target)" },
    { cls: "edge-persons", label: "Measures only on persons or entities" },
    { cls: "edge-countermeasure", label: "Countermeasure (in response)" },
    { cls: "edge-measure", label: "Other measure of the country chosen" },
    { cls: "edge-spared", label: "Imposer spared by the countermeasures" }
  ];
  var NODE_GROUPS = {
    countersanctioned: "status-countersanctioned",
    spared: "status-spared",
    sanctioning: "status-sanctioning",
    persons: "status-persons",
    target: "status-target",
    group: "status-group"
  };

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function short(name, max) {
    return name.length > max ? name.slice(0, max - 1) + "…" : name;
  }

  function edgeClass(e) {
    if (e.relation === "sanction") {
      return "edge " + (e.persons ? "edge-persons" : "edge-sanction") + (e.spared ? " edge-spared" : "");
    }
    return "edge " + (e.relation === "countermeasure" ? "edge-countermeasure" : "edge-measure");
  }
  function markerOf(e) {
    if (e.relation === "sanction") return e.spared ? "edge-spared" : (e.persons ? "edge-persons" : "edge-sanction");
    return e.relation === "countermeasure" ? "edge-countermeasure" : "edge-measure";
  }

  function nodeLabel(n) {
    var text = short(n.name, 30);
    if (n.kind === "group" && n.members) text += " (" + n.members + " members)";
    if (n.excluding && n.excluding.length) text += " except " + short(n.excluding.join(", "), 24);
    return text;
  }

  /* Positions of a column's items (group headings and nodes), spread over ``height``. */
  function column(groups, nodesById, top, height) {
    var items = [];
    groups.forEach(function (g) {
      items.push({ head: g });
      g.nodes.forEach(function (id) { items.push({ node: nodesById.get(id) }); });
    });
    var natural = items.reduce(function (s, it) { return s + (it.head ? HEAD : ROW); }, 0);
    var scale = natural ? Math.min(1.9, Math.max(1, height / natural)) : 1;
    var y = top + (height - natural * scale) / 2;
    items.forEach(function (it) {
      var h = (it.head ? HEAD : ROW) * scale;
      it.y = y + (it.head ? h - 8 : h / 2);
      if (it.node) it.node.y = it.y;
      y += h;
    });
    return items;
  }

  function naturalHeight(groups) {
    return groups.reduce(function (s, g) { return s + HEAD + g.nodes.length * ROW; }, 0);
  }

  function draw(d3, root, view) {
    var focus = view.focus;
    var nodes = (view.nodes || []).map(function (n) { return Object.assign({}, n); });
    var byId = new Map(nodes.map(function (n) { return [n.id, n]; }));
    var left = view.groups.filter(function (g) { return g.side === "left"; });
    var right = view.groups.filter(function (g) { return g.side === "right"; });
    var other = view.other || { imposers: [], targets: [], nodes: [], edges: [] };

    var top1 = 34;
    var h1 = Math.max(naturalHeight(left), naturalHeight(right), 2 * FR + 60);
    var top2 = top1 + h1 + 56;
    var rows2 = Math.max(other.imposers.length, other.targets.length);
    var h2 = rows2 ? rows2 * 26 : 0;
    var H = rows2 ? top2 + h2 + 12 : top1 + h1 + 16;

    root.textContent = "";
    var edgesCount = (view.edges || []).length + other.edges.length;
    var label = "Sanctions network on " + view.on + " seen from " + focus.name + ": " +
      plural(nodes.length, "partner", "partners") + " of " + focus.name + ", " +
      plural(edgesCount, "relation", "relations") + " in all. The same relations are listed in the tables below.";
    var wrap = document.createElement("div");
    wrap.className = "network-scroll";
    root.appendChild(wrap);
    var svg = d3.select(wrap).append("svg")
      .attr("class", "network-graph")
      .attr("role", "img")
      .attr("aria-label", label)
      .attr("viewBox", "0 0 " + W + " " + H)
      .attr("width", "100%")
      .attr("preserveAspectRatio", "xMidYMid meet");
    svg.append("title").text(label);

    var defs = svg.append("defs");
    EDGE_KINDS.forEach(function (k) {
      defs.append("marker")
        .attr("id", "arrow-" + k.cls)
        .attr("class", "marker marker-" + k.cls)
        .attr("viewBox", "0 -5 10 10")
        .attr("refX", 9).attr("refY", 0)
        .attr("markerWidth", 8).attr("markerHeight", 8)
        .attr("markerUnits", "userSpaceOnUse")
        .attr("orient", "auto")
        .append("path").attr("d", "M0,-5L10,0L0,5Z");
    });

    var gHeads = svg.append("g").attr("class", "network-groups");
    var gEdges = svg.append("g").attr("class", "edges");
    var gNodes = svg.append("g").attr("class", "nodes");

    /* ---- panel 1: the focus and its partners ---- */
    var fx = W / 2, fy = top1 + h1 / 2;
    var leftItems = column(left, byId, top1, h1);
    var rightItems = column(right, byId, top1, h1);
    nodes.forEach(function (n) {
      var side = (view.groups.filter(function (g) { return g.id === n.group; })[0] || {}).side;
      n.x = side === "right" ? RIGHT : LEFT;
      n.side = side;
    });
    gHeads.append("text").attr("class", "panel-title").attr("x", 8).attr("y", 18)
      .text("Relations of " + focus.name + " on " + view.on);
    function heads(items, side) {
      items.filter(function (it) { return it.head; }).forEach(function (it) {
        gHeads.append("text")
          .attr("class", "group-title")
          .attr("x", side === "left" ? 8 : W - 8)
          .attr("y", it.y)
          .attr("text-anchor", side === "left" ? "start" : "end")
          .text(it.head.label);
      });
    }
    heads(leftItems, "left");
    heads(rightItems, "right");

    /* an end on the focus circle, spread by the partner's height */
    function onFocus(n, side) {
      var dy = Math.max(-FR * 0.8, Math.min(FR * 0.8, (n.y - fy) * 0.25));
      var dx = Math.sqrt(FR * FR - dy * dy);
      return [side === "left" ? fx - dx : fx + dx, fy + dy];
    }
    function focusPath(e) {
      var partner = e.source === focus.id ? byId.get(e.target) : byId.get(e.source);
      if (!partner) return "";
      var side = partner.side;
      var sign = side === "left" ? 1 : -1;
      var off = e.source === focus.id ? 3 : -3;
      var p = [partner.x + sign * (R + 2), partner.y + off];
      var f = onFocus(partner, side);
      f[1] += off * 0.6;
      var a = e.source === focus.id ? f : p;
      var b = e.source === focus.id ? p : f;
      var mx = (a[0] + b[0]) / 2;
      return "M" + a[0] + "," + a[1] + "C" + mx + "," + a[1] + " " + mx + "," + b[1] + " " + b[0] + "," + b[1];
    }
    var focusEdges = gEdges.selectAll("path.focus-edge")
      .data(view.edges || [])
      .join("path")
      .attr("class", function (e) { return edgeClass(e) + " focus-edge"; })
      .attr("data-source", function (e) { return e.source; })
      .attr("data-target", function (e) { return e.target; })
      .attr("d", focusPath)
      .attr("marker-end", function (e) { return "url(#arrow-" + markerOf(e) + ")"; });
    focusEdges.append("title").text(function (e) { return e.title; });

    var focusNode = gNodes.append("g").attr("class", "node node-focus").attr("data-id", focus.id)
      .attr("transform", "translate(" + fx + "," + fy + ")");
    focusNode.append("circle").attr("class", "status-focus").attr("r", FR);
    focusNode.append("text").attr("class", "focus-code").attr("dy", "0.35em").attr("text-anchor", "middle").text(focus.id);
    focusNode.append("text").attr("class", "focus-name").attr("dy", FR + 16).attr("text-anchor", "middle").text(focus.name);
    focusNode.append("title").text(focus.name + " (" + focus.id + "), the country chosen" +
      (focus.countermeasures.length ? "; countermeasures in force: " + focus.countermeasures.join(", ") : "; no countermeasures in force"));

    function drawNodes(list, cls) {
      var g = gNodes.selectAll("g." + cls)
        .data(list)
        .join("g")
        .attr("class", function (n) { return "node " + cls + " node-" + (n.kind || "country"); })
        .attr("data-id", function (n) { return n.id; })
        .attr("transform", function (n) { return "translate(" + n.x + "," + n.y + ")"; });
      g.each(function (n) {
        var el = d3.select(this);
        var status = NODE_GROUPS[n.group] || "status-none";
        if (n.kind === "group") {
          el.append("rect").attr("class", status).attr("x", -R - 3).attr("y", -R).attr("width", 2 * R + 6)
            .attr("height", 2 * R).attr("rx", 4);
        } else {
          el.append("circle").attr("class", status).attr("r", n.kind === "bloc" ? R + 2 : R);
        }
        var onLeft = n.side === "left";
        el.append("text")
          .attr("x", onLeft ? -R - 7 : R + 7)
          .attr("dy", "0.35em")
          .attr("text-anchor", onLeft ? "end" : "start")
          .text(nodeLabel(n));
        el.append("title").text(n.title || (n.name + " (" + n.id + ")"));
      });
      return g;
    }
    var partnerNodes = drawNodes(nodes, "partner");

    /* ---- panel 2: the relations that do not involve the focus ---- */
    var otherNodes = [];
    if (rows2) {
      gHeads.append("text").attr("class", "panel-title").attr("x", 8).attr("y", top2 - 26)
        .text("Other relations on " + view.on + " (not involving " + focus.name + ")");
      gHeads.append("line").attr("class", "panel-rule").attr("x1", 8).attr("x2", W - 8)
        .attr("y1", top2 - 44).attr("y2", top2 - 44);
      var names = new Map(other.nodes.map(function (n) { return [n.id, n]; }));
      function place(ids, side) {
        var step = h2 / Math.max(ids.length, 1);
        return ids.map(function (id, i) {
          var n = Object.assign({}, names.get(id));
          n.x = side === "left" ? LEFT : RIGHT;
          n.y = top2 + step * (i + 0.5);
          n.side = side;
          n.group = "other";
          n.title = n.name + " (" + n.id + ")";
          return n;
        });
      }
      var imposers = place(other.imposers, "left");
      var targets = place(other.targets, "right");
      var at = { left: new Map(imposers.map(function (n) { return [n.id, n]; })), right: new Map(targets.map(function (n) { return [n.id, n]; })) };
      var otherEdges = gEdges.selectAll("path.other-edge")
        .data(other.edges)
        .join("path")
        .attr("class", function (e) { return edgeClass(e) + " other-edge"; })
        .attr("data-source", function (e) { return e.source; })
        .attr("data-target", function (e) { return e.target; })
        .attr("d", function (e) {
          var s = at.left.get(e.source), t = at.right.get(e.target);
          var x1 = s.x + R + 2, x2 = t.x - R - 3, mx = (x1 + x2) / 2;
          return "M" + x1 + "," + s.y + "C" + mx + "," + s.y + " " + mx + "," + t.y + " " + x2 + "," + t.y;
        })
        .attr("marker-end", function (e) { return "url(#arrow-" + markerOf(e) + ")"; });
      otherEdges.append("title").text(function (e) { return e.title; });
      otherNodes = imposers.concat(targets);
      drawNodes(otherNodes, "other");
    }

    /* hover or keyboard focus on a node: its relations stand out */
    gNodes.selectAll("g.node").attr("tabindex", 0).on("mouseenter focus", function () {
      var id = this.getAttribute("data-id");
      var inOther = this.classList.contains("other");
      svg.classed("highlighting", true);
      gEdges.selectAll("path").classed("hl", function () {
        var mine = this.classList.contains("other-edge") === inOther || id === focus.id;
        return mine && (this.getAttribute("data-source") === id || this.getAttribute("data-target") === id);
      });
    }).on("mouseleave blur", function () {
      svg.classed("highlighting", false);
      gEdges.selectAll("path").classed("hl", false);
    });

    /* legend */
    var legend = document.createElement("ul");
    legend.className = "network-legend";
    EDGE_KINDS.forEach(function (k) {
      var li = document.createElement("li");
      var s = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      s.setAttribute("class", "legend-line");
      s.setAttribute("width", "40");
      s.setAttribute("height", "12");
      s.setAttribute("viewBox", "0 0 40 12");
      s.setAttribute("aria-hidden", "true");
      s.setAttribute("focusable", "false");
      var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("x1", "2"); line.setAttribute("y1", "6"); line.setAttribute("x2", "38"); line.setAttribute("y2", "6");
      /* legend-* classes, so that counting .edge-* elements counts only the graph's edges */
      line.setAttribute("class", "legend-edge legend-" + k.cls);
      s.appendChild(line);
      li.appendChild(s);
      li.appendChild(document.createTextNode(" " + k.label));
      legend.appendChild(li);
    });
    var hint = document.createElement("li");
    hint.className = "legend-hint";
    hint.textContent = "Node colours follow the map's legend; point at a node or an edge for its measures by type.";
    legend.appendChild(hint);
    root.appendChild(legend);

    /* accessible alternative: the focus's relations as a table */
    var details = document.createElement("details");
    details.className = "network-table";
    var summary = document.createElement("summary");
    summary.textContent = "Relations of " + focus.name + " as a table";
    details.appendChild(summary);
    var tw = document.createElement("div");
    tw.className = "table-wrap";
    var table = document.createElement("table");
    var thead = table.createTHead().insertRow();
    ["From", "To", "Kind", "Measures by type"].forEach(function (h) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      thead.appendChild(th);
    });
    var tbody = table.createTBody();
    function nameOf(id) { return id === focus.id ? focus.name : ((byId.get(id) || {}).name || id); }
    (view.edges || []).forEach(function (e) {
      var tr = tbody.insertRow();
      var kind = e.relation === "sanction" ? (e.persons ? "on persons or entities" : "on the state") : e.relation;
      if (e.spared) kind += " (spared)";
      [nameOf(e.source), nameOf(e.target), kind, e.title.split(": ").slice(1).join(": ")].forEach(function (v) {
        tr.insertCell().textContent = v;
      });
    });
    tw.appendChild(table);
    details.appendChild(tw);
    root.appendChild(details);

    if (!edgesCount) {
      var p = document.createElement("p");
      p.className = "network-empty";
      p.textContent = "No sanctions or countermeasures are in force on this date.";
      root.insertBefore(p, root.firstChild);
    }
    return { partners: nodes.length, relations: edgesCount, drawn: partnerNodes.size() + otherNodes.length };
  }

  function init() {
    var root = document.getElementById("network");
    if (!root) return;
    var statusEl = document.getElementById("network-status");
    function setStatus(text, isError) {
      if (!statusEl) return;
      statusEl.textContent = text;
      statusEl.classList.toggle("status-error", !!isError);
    }
    if (typeof window.d3 === "undefined") {
      setStatus("The network cannot be drawn: its script (d3) did not load.", true);
      return;
    }
    var view;
    try { view = JSON.parse(root.dataset.view); } catch (e) { view = null; }
    if (!view) {
      setStatus("The network cannot be drawn: its data is missing.", true);
      return;
    }
    var done = draw(window.d3, root, view);
    setStatus(plural(done.partners, "partner", "partners") + " of " + view.focus.name + ", " +
      plural(done.relations, "relation", "relations") + " on " + view.on, false);
  }

  window.sanctionscopeNetwork = { init: init };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
