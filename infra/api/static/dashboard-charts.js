/* Inline SVG charts of the dashboard: a line chart per rate and a bar chart of daily counts.
   Plain DOM, no library. Every chart carries data-figure (its name) and data-points or
   data-bars (how many marks it drew); every mark carries data-day and data-value. */
(() => {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";

  function svgEl(tag, attrs, children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  function svgText(x, y, text, cls, anchor) {
    const node = svgEl("text", { x, y, class: cls || "axis", "text-anchor": anchor || "middle" });
    node.textContent = text;
    return node;
  }

  function shortDay(day) {
    return day.slice(5);  /* MM-DD */
  }

  const FRAME_PAD = 52;  /* keeps a value label clear of the axis */
  const SMALL = { width: 320, height: 160, left: 34, right: 8, top: 12, bottom: 26, every: 0 };
  const WIDE = { width: 960, height: 200, left: 34, right: 8, top: 12, bottom: 26, every: 3 };

  function frame(f, days, ticks, format) {
    /* The chart's box, its horizontal grid lines and the day labels; returns helpers. */
    const plotW = f.width - f.left - f.right, plotH = f.height - f.top - f.bottom;
    const step = plotW / days.length;
    const x = (i) => f.left + step * (i + 0.5);
    const g = svgEl("g");
    for (const t of ticks) {
      const y = f.top + plotH * (1 - t.at);
      g.appendChild(svgEl("line", { x1: f.left, x2: f.width - f.right, y1: y, y2: y, class: "grid" }));
      g.appendChild(svgText(f.left - 4, y + 3, format(t.label), "axis", "end"));
    }
    const ends = new Set([0, Math.floor((days.length - 1) / 2), days.length - 1]);
    days.forEach((d, i) => {
      if (f.every ? i % f.every === (days.length - 1) % f.every : ends.has(i)) g.appendChild(svgText(x(i), f.height - 8, shortDay(d.day)));
    });
    return { g, x, step, y: (share) => f.top + plotH * (1 - share), plotH };
  }

  function chartSvg(f, name, label) {
    return svgEl("svg", { viewBox: `0 0 ${f.width} ${f.height}`, class: "chart",
      role: "img", "aria-label": label, "data-figure": name });
  }

  function emptyNote(f, svg, text) {
    svg.appendChild(svgText(f.width / 2, f.height / 2, text, "empty"));
  }

  /* A rate per day (fractions as strings, or null): dots where there is a rate, lines joining
     consecutive days that both have one. */
  function lineChart(name, label, days, key) {
    const svg = chartSvg(SMALL, name, label);
    const fr = frame(SMALL, days, [{ at: 0, label: 0 }, { at: 0.5, label: 50 }, { at: 1, label: 100 }],
      (v) => `${v}%`);
    svg.appendChild(fr.g);
    const path = [], dots = svgEl("g", { class: "dots" });
    let points = 0, previous = null;
    days.forEach((d, i) => {
      const raw = d[key];
      if (raw === null || raw === undefined) { previous = null; return; }
      const share = Number(raw), px = fr.x(i), py = fr.y(share);
      path.push(`${previous ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`);
      previous = true;
      const dot = svgEl("circle", { cx: px.toFixed(1), cy: py.toFixed(1), r: 3.2, class: "point",
        "data-day": d.day, "data-value": raw });
      dot.appendChild(svgEl("title", {}, [document.createTextNode(
        `${d.day}: ${(share * 100).toFixed(1)} %`)]));
      dots.appendChild(dot);
      points += 1;
    });
    if (path.length) svg.appendChild(svgEl("path", { d: path.join(" "), class: "line" }));
    svg.appendChild(dots);
    if (points && points <= 6) {  /* few points: write their values beside them */
      for (const dot of dots.querySelectorAll("circle")) {
        const share = Number(dot.getAttribute("data-value")), px = Number(dot.getAttribute("cx"));
        svg.appendChild(svgText(Math.max(px, FRAME_PAD), Number(dot.getAttribute("cy")) + 14,
          `${(share * 100).toFixed(1)}%`, "value"));
      }
    }
    if (!points) emptyNote(SMALL, svg, "no data in these days · 无数据");
    svg.setAttribute("data-points", points);
    return svg;
  }

  /* Counts per day, one bar per series and day (none where the count is zero). */
  function barChart(name, label, days, series) {
    const svg = chartSvg(WIDE, name, label);
    let top = Math.max(2, ...days.flatMap((d) => series.map((s) => d[s.key])));
    if (top % 2) top += 1;  /* so the middle line falls on a whole number */
    const fr = frame(WIDE, days, [{ at: 0, label: 0 }, { at: 0.5, label: top / 2 },
      { at: 1, label: top }], (v) => String(v));
    svg.appendChild(fr.g);
    const width = (fr.step * 0.8) / series.length;
    let bars = 0;
    days.forEach((d, i) => {
      series.forEach((s, j) => {
        const value = d[s.key];
        if (!value) return;
        const h = (fr.plotH * value) / top, left = fr.x(i) - fr.step * 0.4 + width * j;
        const bar = svgEl("rect", { x: left.toFixed(1), y: fr.y(value / top).toFixed(1),
          width: width.toFixed(1), height: h.toFixed(1), class: `bar ${s.key}`,
          "data-day": d.day, "data-series": s.key, "data-value": value });
        bar.appendChild(svgEl("title", {}, [document.createTextNode(`${d.day} ${s.label}: ${value}`)]));
        svg.appendChild(bar);
        bars += 1;
      });
    });
    if (!bars) emptyNote(WIDE, svg, "nothing counted in these days · 无数据");
    svg.setAttribute("data-bars", bars);
    return svg;
  }

  window.DashboardCharts = { lineChart, barChart };
})();
