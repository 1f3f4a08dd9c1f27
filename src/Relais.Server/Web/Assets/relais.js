// Relais web UI: progressive enhancement only. Every page works without this file; it adds
// collapsible log sections, the live log (Server-Sent Events) and the lines of the `needs` graph.
"use strict";

(function () {
  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn); else fn();
  }

  // --- Job log: sections -------------------------------------------------------------------
  var collapsed = new Set();

  function linesOf(log, id) {
    return log.querySelectorAll('.l[data-s~="' + id + '"], .l[data-s="' + id + '"]');
  }

  function setCollapsed(log, header, yes) {
    var id = header.getAttribute("data-sec");
    if (yes) collapsed.add(id); else collapsed.delete(id);
    var button = header.querySelector(".sec-toggle");
    if (button) { button.setAttribute("aria-expanded", String(!yes)); button.textContent = yes ? "▸" : "▾"; }
    linesOf(log, id).forEach(function (line) { applyCollapsed(line); });
  }

  function applyCollapsed(line) {
    var ids = (line.getAttribute("data-s") || "").split(" ");
    var hide = ids.some(function (id) { return collapsed.has(id); });
    line.classList.toggle("collapsed-line", hide);
  }

  // Extended (256-colour and RGB) log colours come as data attributes: the Content-Security-Policy allows no inline styles.
  function applyColours(root) {
    root.querySelectorAll("[data-fg]").forEach(function (s) { s.style.color = s.getAttribute("data-fg"); });
    root.querySelectorAll("[data-bg]").forEach(function (s) { s.style.backgroundColor = s.getAttribute("data-bg"); });
  }

  function enhanceLines(log, root) {
    applyColours(root);
    root.querySelectorAll(".sh[data-collapsed='true']").forEach(function (h) { setCollapsed(log, h, true); });
    root.querySelectorAll(".sec-end").forEach(function (end) {
      var header = log.querySelector('.sh[data-sec="' + end.getAttribute("data-for") + '"] .sec-time');
      if (header) header.textContent = end.getAttribute("data-duration");
    });
    if (collapsed.size) root.querySelectorAll(".l[data-s]").forEach(applyCollapsed);
  }

  function setUpLog(log) {
    log.addEventListener("click", function (e) {
      var button = e.target.closest(".sec-toggle");
      if (!button) return;
      var header = button.closest(".sh");
      setCollapsed(log, header, !collapsed.has(header.getAttribute("data-sec")));
    });
    enhanceLines(log, log);
    var url = log.getAttribute("data-stream");
    if (!url || !window.EventSource) return;
    var end = document.getElementById("log-end");
    var source = new EventSource(url);
    source.addEventListener("lines", function (e) {
      var atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 30;
      var holder = document.createElement("div");
      holder.innerHTML = e.data;
      applyColours(holder);
      var added = Array.prototype.slice.call(holder.children);
      added.forEach(function (node) { log.appendChild(node); });
      added.forEach(function (node) { if (node.matches(".l[data-s]")) applyCollapsed(node); });
      enhanceLines(log, holder.childElementCount ? holder : log);
      if (atBottom) log.scrollTop = log.scrollHeight;
      log.setAttribute("data-lines", String(log.querySelectorAll(".l").length));
    });
    source.addEventListener("end", function (e) {
      source.close();
      if (end) end.textContent = "The job finished: " + e.data + ". End of the log.";
      log.removeAttribute("data-stream");
      log.setAttribute("data-finished", e.data);
    });
  }

  // --- Pipeline graph: draw `needs` as curves between job cards ------------------------------
  function drawEdges(graph) {
    var svg = graph.querySelector("svg.edges");
    if (!svg) return;
    var box = graph.getBoundingClientRect();
    svg.setAttribute("width", graph.scrollWidth);
    svg.setAttribute("height", graph.scrollHeight);
    var paths = [];
    graph.querySelectorAll(".job-card[data-needs]").forEach(function (card) {
      var needs = card.getAttribute("data-needs").split(" ").filter(Boolean);
      var to = card.getBoundingClientRect();
      needs.forEach(function (n) {
        var from = document.getElementById("job-" + n);
        if (!from) return;
        var a = from.getBoundingClientRect();
        var x1 = a.right - box.left + graph.scrollLeft, y1 = a.top + a.height / 2 - box.top;
        var x2 = to.left - box.left + graph.scrollLeft, y2 = to.top + to.height / 2 - box.top;
        var mid = (x1 + x2) / 2;
        paths.push('<path d="M' + x1 + " " + y1 + " C" + mid + " " + y1 + " " + mid + " " + y2 + " " + x2 + " " + y2 + '"/>');
      });
    });
    svg.innerHTML = paths.join("");
  }

  // --- Pipeline page: while jobs move, re-read the page and swap the live region -------------
  function refreshLive(live) {
    var seconds = Number(live.getAttribute("data-refresh"));
    if (!seconds || !window.fetch || !window.DOMParser) return;
    setTimeout(function tick() {
      // Never pull the page from under someone using the keyboard or a hidden tab.
      if (document.hidden || live.contains(document.activeElement)) { setTimeout(tick, seconds * 1000); return; }
      fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (!next) return;
        live.innerHTML = next.innerHTML;
        var graph = live.querySelector(".graph");
        if (graph) drawEdges(graph);
        if (next.getAttribute("data-refresh")) setTimeout(tick, seconds * 1000); else live.removeAttribute("data-refresh");
      }).catch(function () { setTimeout(tick, seconds * 1000); });
    }, seconds * 1000);
  }

  ready(function () {
    var log = document.getElementById("log");
    if (log) setUpLog(log);
    var graph = document.querySelector(".graph");
    if (graph) {
      drawEdges(graph);
      window.addEventListener("resize", function () { var g = document.querySelector(".graph"); if (g) drawEdges(g); });
    }
    var live = document.getElementById("live");
    if (live) refreshLive(live);
  });
})();
