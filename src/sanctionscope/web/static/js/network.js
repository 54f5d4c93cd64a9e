/* sanctionscope: the sanctions network on a day, drawn to be read from one country.
 * Plain ES2019, no build step. Needs /static/vendor/d3.min.js loaded before it.
 * Does nothing if #network is absent.
 *
 * The server computes the view (research/network.py, focus_view) and puts it in
 * #network's data-view: the focus, its partners grouped by status, and the relations
 * that do not involve it (those are listed by the page, not drawn). Drawn here as two
 * columns of groups around the focus, so that no edge crosses a node:
 *   [imposers on the focus, by group]  ->  (focus)  ->  [targets of the focus, lists]
 * (groups move between the columns to keep them even). Targets addressed
 * to all partners or to a list are one node each, never an edge to every member.
 * Names are written out; every node and edge has a tooltip (<title>) with the measures
 * by type. window.sanctionscopeNetwork.init() draws again (the page swaps #network in). */
(function () {
  "use strict";

  var W = 1000;
  var LEFT = 215;
  var RIGHT = W - LEFT;
  var ROW = 30;
  var ROW_GROUP = 46;
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

  /* a name in lines of at most ``width`` characters, at most ``most`` lines */
  function wrap(name, width, most) {
    var lines = [""];
    name.split(" ").forEach(function (word) {
      var last = lines[lines.length - 1];
      if (!last || (last + " " + word).length <= width) lines[lines.length - 1] = last ? last + " " + word : word;
      else lines.push(word);
    });
    if (lines.length > most) {
      lines = lines.slice(0, most);
      lines[most - 1] = short(lines[most - 1] + " …", width);
    }
    return lines.map(function (l) { return short(l, width); });
  }
  function nodeLines(n) {
    return n.kind === "group" ? wrap(n.name, 30, 2) : [short(n.name, 28)];
  }
  function nodeNote(n) {
    if (n.kind !== "group") return "";
    if (n.members) return n.members + " members, one node";
    if (n.excluding && n.excluding.length) return short("except " + n.excluding.join(", "), 30);
    return "";
  }

  /* Positions of a column's items (group headings and nodes), spread over ``height``. */
  function column(groups, nodesById, top, height) {
    var items = [];
    groups.forEach(function (g) {
      items.push({ head: g, h: HEAD });
      g.nodes.forEach(function (id) { items.push({ node: nodesById.get(id), h: rowOf(g) }); });
    });
    var natural = items.reduce(function (s, it) { return s + it.h; }, 0);
    var scale = natural ? Math.min(3, Math.max(1, height / natural)) : 1;
    var y = top + (height - natural * scale) / 2;
    items.forEach(function (it) {
      var h = it.h * scale;
      it.y = y + (it.head ? h - 8 : h / 2);
      if (it.node) it.node.y = it.y;
      y += h;
    });
    return items;
  }

  /* a list's node has its name on two lines and its size on a third */
  function rowOf(g) { return g.id === "group" ? ROW_GROUP : ROW; }
  function naturalHeight(groups) {
    return groups.reduce(function (s, g) { return s + HEAD + g.nodes.length * rowOf(g); }, 0);
  }

  /* Two columns of groups, as even as can be: the groups start on their side (left: they
   * impose measures on the focus; right: the focus's measures reach them); whole groups
   * move to the shorter column while that makes the drawing shorter, and a lone group is
   * split in two ("continued"), so the drawing uses its whole box. */
  function arrange(groups) {
    var cols = {
      left: groups.filter(function (g) { return g.side === "left"; }).map(function (g) { return Object.assign({}, g); }),
      right: groups.filter(function (g) { return g.side !== "left"; }).map(function (g) { return Object.assign({}, g); })
    };
    for (var guard = 0; guard < 10; guard++) {
      var tall = naturalHeight(cols.left) >= naturalHeight(cols.right) ? "left" : "right";
      var short = tall === "left" ? "right" : "left";
      if (cols[tall].length < 2) break;
      var before = Math.max(naturalHeight(cols.left), naturalHeight(cols.right));
      var moved = tall === "left" ? cols.left[cols.left.length - 1] : cols.right[0];
      var size = naturalHeight([moved]);
      var after = Math.max(naturalHeight(cols[tall]) - size, naturalHeight(cols[short]) + size);
      if (after >= before) break;
      if (tall === "left") { cols.left.pop(); cols.right.push(moved); } else { cols.right.shift(); cols.left.push(moved); }
    }
    ["left", "right"].forEach(function (side) {
      var other = side === "left" ? "right" : "left";
      if (cols[other].length || cols[side].length !== 1 || cols[side][0].nodes.length < 4) return;
      var g = cols[side][0];
      var half = Math.ceil(g.nodes.length / 2);
      cols[other].push({ id: g.id, side: other, label: g.label + " (continued)", nodes: g.nodes.slice(half) });
      cols[side][0] = Object.assign({}, g, { nodes: g.nodes.slice(0, half) });
    });
    return cols;
  }

  function draw(d3, root, view) {
    var focus = view.focus;
    var nodes = (view.nodes || []).map(function (n) { return Object.assign({}, n); });
    var byId = new Map(nodes.map(function (n) { return [n.id, n]; }));
    var cols = arrange(view.groups || []);
    var left = cols.left;
    var right = cols.right;
    var other = view.other || { edges: [] };

    var top1 = 6;
    var h1 = Math.max(naturalHeight(left), naturalHeight(right), 320);
    var H = top1 + h1 + 10;

    root.textContent = "";
    var edgesCount = (view.edges || []).length;
    var label = "Sanctions network on " + view.on + " seen from " + focus.name + ": " +
      plural(nodes.length, "partner", "partners") + ", " + plural(edgesCount, "relation", "relations") +
      " of " + focus.name + " (" + plural(other.edges.length, "other relation", "other relations") +
      " listed below). The same relations are listed in the tables below.";
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

    var gEdges = svg.append("g").attr("class", "edges");
    var gNodes = svg.append("g").attr("class", "nodes");
    /* the groups' titles label their nodes: drawn with them */
    var gHeads = gNodes.append("g").attr("class", "network-groups");

    /* ---- panel 1: the focus and its partners ---- */
    var fx = W / 2, fy = top1 + h1 / 2;
    var leftItems = column(left, byId, top1, h1);
    var rightItems = column(right, byId, top1, h1);
    left.forEach(function (g) { g.nodes.forEach(function (id) { byId.get(id).side = "left"; }); });
    right.forEach(function (g) { g.nodes.forEach(function (id) { byId.get(id).side = "right"; }); });
    nodes.forEach(function (n) { n.x = n.side === "right" ? RIGHT : LEFT; });
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
        var note = nodeNote(n);
        var lines = nodeLines(n);
        var first = 0.35 - 0.6 * (lines.length - 1 + (note ? 1 : 0));
        lines.forEach(function (line, i) {
          el.append("text")
            .attr("x", onLeft ? -R - 7 : R + 7)
            .attr("dy", (first + 1.2 * i).toFixed(2) + "em")
            .attr("text-anchor", onLeft ? "end" : "start")
            .text(line);
        });
        if (note) {
          el.append("text")
            .attr("class", "node-note")
            .attr("x", onLeft ? -R - 7 : R + 7)
            .attr("dy", (first + 1.2 * lines.length).toFixed(2) + "em")
            .attr("text-anchor", onLeft ? "end" : "start")
            .text(note);
        }
        el.append("title").text(n.title || (n.name + " (" + n.id + ")"));
      });
      return g;
    }
    var partnerNodes = drawNodes(nodes, "partner");

    /* hover or keyboard focus on a node: its relations stand out */
    gNodes.selectAll("g.node").attr("tabindex", 0).on("mouseenter focus", function () {
      var id = this.getAttribute("data-id");
      svg.classed("highlighting", true);
      gEdges.selectAll("path").classed("hl", function () {
        return this.getAttribute("data-source") === id || this.getAttribute("data-target") === id;
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
    return { partners: nodes.length, relations: edgesCount, drawn: partnerNodes.size() };
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
