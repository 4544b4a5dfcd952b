// The portal's one script: the static site search and the interactive benchmark charts
// (drawn with the vendored uPlot from the JSON each benchmark section embeds). Every page
// works without it: the charts are SVG and every page is linked.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // ---- search ---------------------------------------------------------------------------
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}_.]+/u).filter(function (w) { return w.length > 0; });
  }

  function setupSearch() {
    var input = document.getElementById("search-input");
    if (!input) return;
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    function run() {
      var entries = window.AGORA_SEARCH || [];
      var query = words(input.value);
      list.textContent = "";
      if (query.length === 0) { status.textContent = "Type to search."; return; }
      var hits = [];
      entries.forEach(function (e) {
        var title = e.title.toLowerCase(), text = e.text.toLowerCase(), score = 0;
        for (var i = 0; i < query.length; i++) {
          var q = query[i], t = title.indexOf(q) >= 0, b = text.indexOf(q);
          if (!t && b < 0) { score = 0; break; }
          score += (t ? 5 : 0) + (b >= 0 ? 1 : 0);
        }
        if (score > 0) hits.push([score, e]);
      });
      hits.sort(function (a, b) { return b[0] - a[0]; });
      status.textContent = hits.length + " page" + (hits.length === 1 ? "" : "s") + " found.";
      hits.slice(0, 40).forEach(function (h) {
        var e = h[1], li = document.createElement("li"), a = document.createElement("a");
        a.href = e.path; a.textContent = e.title; li.appendChild(a);
        var at = e.text.toLowerCase().indexOf(query[0]);
        var snippet = e.text.slice(Math.max(0, at - 60), Math.max(0, at - 60) + 180);
        var p = document.createElement("div"); p.className = "muted"; p.textContent = snippet;
        li.appendChild(p); list.appendChild(li);
      });
    }
    input.addEventListener("input", run);
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; }
    run();
  }

  // ---- benchmark charts -----------------------------------------------------------------
  var UNITS = {
    seconds: [[1e-9, "ns"], [1e-6, "µs"], [1e-3, "ms"], [1, "s"]],
    bytes: [[1, "B"], [1e3, "kB"], [1e6, "MB"], [1e9, "GB"]]
  };

  function formatter(unit) {
    var scale = UNITS[unit];
    return function (v) {
      if (v == null || !isFinite(v)) return "—";
      if (!scale) return +v.toPrecision(4) + (unit && unit !== "unit" ? " " + unit : "");
      var chosen = scale[0];
      for (var i = 0; i < scale.length; i++) if (Math.abs(v) >= scale[i][0]) chosen = scale[i];
      return +(v / chosen[0]).toPrecision(4) + " " + chosen[1];
    };
  }

  function day(seconds) {
    return new Date(seconds * 1000).toISOString().slice(0, 10);
  }

  function css(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  function setupChart(box) {
    var data = JSON.parse(box.querySelector("script.bench-data").textContent);
    var controls = box.querySelector(".controls");
    var plot = box.querySelector(".plot");
    var tooltip = box.querySelector(".tooltip");
    var format = formatter(data.unit);
    var chosen = data.keys.map(function (k) { return k[1][0]; });
    var state = { x: "dates", log: false };
    var uplot = null;
    var id = "c" + Math.random().toString(36).slice(2, 8);

    var selects = [];
    function addSelect(label, options, value, onChange) {
      var wrap = document.createElement("label");
      wrap.textContent = label + " ";
      var select = document.createElement("select");
      options.forEach(function (o) {
        var opt = document.createElement("option");
        opt.value = o[0]; opt.textContent = o[1]; if (o[0] === value) opt.selected = true;
        select.appendChild(opt);
      });
      select.addEventListener("change", function () { onChange(select.value); draw(); });
      wrap.appendChild(select);
      controls.appendChild(wrap);
      return select;
    }

    data.keys.forEach(function (k, i) {
      if (k[1].length < 2) {
        var fixed = document.createElement("span");
        fixed.textContent = k[0] + ": " + (k[1][0] === "" ? "(empty)" : k[1][0]);
        controls.appendChild(fixed);
        return;
      }
      var s = addSelect(k[0], k[1].map(function (v) { return [v, v === "" ? "(empty)" : v]; }), chosen[i], function (v) {
        chosen[i] = v;
        // A combination without results moves the other keys to the first one that has some.
        if (!line()) {
          var other = data.lines.find(function (l) { return l.keys[i] === v && l.r.length > 0; });
          if (other) {
            chosen = other.keys.slice();
            selects.forEach(function (sel) { sel.value = chosen[+sel.dataset.index]; });
          }
        }
      });
      s.className = "param";
      s.dataset.index = i;
      selects.push(s);
      s.dataset.key = k[0];
    });
    addSelect("x axis", [["dates", "commit dates"], ["commits", "commits"]], "dates", function (v) { state.x = v; }).className = "xorder";
    var log = document.createElement("label");
    var box2 = document.createElement("input");
    box2.type = "checkbox"; box2.className = "logscale";
    box2.addEventListener("change", function () { state.log = box2.checked; draw(); });
    log.appendChild(box2); log.appendChild(document.createTextNode(" log scale"));
    controls.appendChild(log);

    function line() {
      return data.lines.find(function (l) {
        return l.keys.every(function (v, i) { return v === chosen[i]; });
      });
    }

    function xOf(rev) {
      if (state.x === "commits") return rev;
      var c = data.commits[rev];
      return c ? c[1] : null;
    }

    function draw() {
      if (uplot) { uplot.destroy(); uplot = null; }
      tooltip.style.display = "none";
      var l = line();
      var old = plot.querySelector(".empty");
      if (old) old.remove();
      if (!l || l.r.length === 0) {
        var p = document.createElement("p"); p.className = "unknown empty";
        p.textContent = "No results for this combination.";
        plot.appendChild(p);
        return;
      }
      var pts = l.r.map(function (r, i) { return [xOf(r), l.y[i], r]; })
        .filter(function (p) { return p[0] != null; });
      pts.sort(function (a, b) { return a[0] - b[0]; });
      var xs = pts.map(function (p) { return p[0]; });
      var ys = pts.map(function (p) { return p[1]; });
      var revs = pts.map(function (p) { return p[2]; });
      var positive = ys.every(function (v) { return v > 0; });
      box2.disabled = !positive;
      var fg = css("--fg", "#1d2125"), muted = css("--muted", "#5b6470"), link = css("--link", "#1f5fa8");
      var grid = { stroke: css("--grid", "#e6e9ed"), width: 1 };
      var opts = {
        width: Math.max(320, plot.clientWidth || 800),
        height: 320,
        scales: { x: { time: state.x === "dates" }, y: { distr: state.log && positive ? 3 : 1 } },
        legend: { show: false },
        cursor: { drag: { x: true, y: false }, points: { size: 9 } },
        series: [
          {},
          { label: data.name, stroke: link, width: 1, points: { show: true, size: 5, fill: link } }
        ],
        axes: [
          { stroke: fg, grid: grid, ticks: grid, label: state.x === "dates" ? "commit date" : "commit (position in the history)" },
          { stroke: fg, grid: grid, ticks: grid, size: 70, label: data.unit === "seconds" ? "time" : (data.unit === "bytes" ? "size" : "value"),
            values: function (u, vals) { return vals.map(format); } }
        ],
        hooks: {
          draw: [function (u) {
            var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
            ctx.save();
            ctx.fillStyle = "rgba(228,87,86,.25)";
            l.regressions.forEach(function (r) {
              var a = xOf(r[0]), b = xOf(r[1]);
              if (a == null || b == null) return;
              var x0 = u.valToPos(Math.min(a, b), "x", true), x1 = u.valToPos(Math.max(a, b), "x", true);
              ctx.fillRect(x0 - 3, top, Math.max(6, x1 - x0 + 6), height);
            });
            ctx.strokeStyle = muted; ctx.fillStyle = muted; ctx.setLineDash([3, 3]);
            ctx.font = Math.round(10 * devicePixelRatio) + "px system-ui, sans-serif";
            data.tags.forEach(function (t) {
              var x = xOf(t[0]);
              if (x == null || x < u.scales.x.min || x > u.scales.x.max) return;
              var px = u.valToPos(x, "x", true);
              ctx.beginPath(); ctx.moveTo(px, top); ctx.lineTo(px, top + height); ctx.stroke();
              ctx.fillText(t[1], px + 3, top + 12 * devicePixelRatio);
            });
            ctx.restore();
          }],
          setCursor: [function (u) {
            var i = u.cursor.idx;
            if (i == null || u.cursor.left < 0) { tooltip.style.display = "none"; return; }
            var c = data.commits[revs[i]] || ["?", null];
            tooltip.textContent = format(ys[i]) + " — commit " + c[0].slice(0, 8) + (c[1] != null ? ", " + day(c[1]) : "");
            tooltip.style.display = "block";
            var left = u.over.offsetLeft + u.valToPos(xs[i], "x");
            tooltip.style.left = Math.min(left + 10, plot.clientWidth - tooltip.offsetWidth) + "px";
            tooltip.style.top = (u.over.offsetTop + u.valToPos(ys[i], "y") + 10) + "px";
          }]
        }
      };
      uplot = new uPlot(opts, [xs, ys], plot);
      uplot.root.setAttribute("aria-label", data.name + ": interactive chart; the SVG charts below hold the same data");
      uplot.root.setAttribute("role", "img");
      uplot.root.id = id;
    }
    draw();
  }

  function setupCharts() {
    if (typeof uPlot === "undefined") return;
    document.querySelectorAll(".interactive").forEach(setupChart);
  }

  function start() { setupSearch(); setupCharts(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
