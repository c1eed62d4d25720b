/* Inline SVG charts of the dashboard: a bar chart per rate and a bar chart of daily counts.
   Plain DOM, no library. Every chart carries data-figure (its name) and data-bars (how many
   bars it drew); every bar carries data-day and data-value. Text is 12 user units high and
   a chart is never drawn narrower than its viewBox allows (dashboard.css), so no label is
   shown smaller than 11 px. */
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
    const node = svgEl("text", { x: round(x), y: round(y), class: cls || "axis", "text-anchor": anchor || "middle" });
    node.textContent = text;
    return node;
  }

  function round(n) {
    return Number(n).toFixed(1);
  }

  function shortDay(day) {
    return day.slice(5);  /* MM-DD, under a bar; the window's ends are written in full */
  }

  function percent(share) {
    return `${(share * 100).toFixed(1)}%`;
  }

  const GLYPH = 6.8;  /* the width of a digit or a dash at 12 units, near enough to keep labels apart */
  const SMALL = { width: 260, height: 172, left: 40, right: 6, top: 20, bottom: 24 };
  const WIDE = { width: 960, height: 220, left: 40, right: 8, top: 14, bottom: 26, every: 3 };

  function frame(f, days, ticks) {
    /* The chart's horizontal grid lines and their labels; returns the helpers of its plot. */
    const plotW = f.width - f.left - f.right, plotH = f.height - f.top - f.bottom;
    const step = plotW / Math.max(days.length, 1);
    const g = svgEl("g");
    for (const t of ticks) {
      const y = f.top + plotH * (1 - t.at);
      g.appendChild(svgEl("line", { x1: f.left, x2: f.width - f.right, y1: round(y), y2: round(y), class: "grid" }));
      g.appendChild(svgText(f.left - 5, y + 4, t.label, "axis", "end"));
    }
    return { g, step, plotH, x: (i) => f.left + step * (i + 0.5), y: (share) => f.top + plotH * (1 - share) };
  }

  /* Day labels under the plot: `marked` days (index list) as MM-DD under their bars, and the
     window's first and last days in full at its two ends wherever they leave those clear. */
  function dayLabels(f, fr, days, marked) {
    const g = svgEl("g", { class: "days" }), y = f.height - 7, taken = [];
    const half = (5 * GLYPH) / 2;
    for (const i of marked) {
      const x = Math.min(Math.max(fr.x(i), f.left + half), f.width - f.right - half);
      if (taken.some(([a, b]) => x - half < b + 4 && x + half > a - 4)) continue;
      taken.push([x - half, x + half]);
      g.appendChild(svgText(x, y, shortDay(days[i].day), "axis day"));
    }
    if (days.length) {
      const full = 10 * GLYPH, ends = [
        [f.left, f.left + full, "start", days[0].day],
        [f.width - f.right - full, f.width - f.right, "end", days[days.length - 1].day]];
      for (const [a, b, anchor, day] of days.length > 1 ? ends : ends.slice(1)) {
        if (taken.some(([c, d]) => a < d + 4 && b > c - 4)) continue;
        taken.push([a, b]);
        g.appendChild(svgText(anchor === "start" ? a : b, y, day, "axis day", anchor));
      }
    }
    return g;
  }

  function chartSvg(f, name, label, cls) {
    return svgEl("svg", { viewBox: `0 0 ${f.width} ${f.height}`, class: `chart ${cls}`,
      role: "img", "aria-label": label, "data-figure": name });
  }

  function emptyNote(f, svg, text) {  /* between the top and the middle grid lines */
    svg.appendChild(svgText((f.left + f.width - f.right) / 2, f.top + (f.height - f.top - f.bottom) / 4 + 5, text, "empty"));
  }

  function bar(x, y, width, height, cls, day, value, title) {
    const node = svgEl("rect", { x: round(x), y: round(y), width: round(width), height: round(height),
      class: cls, "data-day": day, "data-value": value });
    node.appendChild(svgEl("title", {}, [document.createTextNode(title)]));
    return node;
  }

  const FEW = 6;  /* up to this many bars, each is labelled with its value and its day */

  /* A rate per day (fractions as strings, or null): a bar from 0 to the rate on each day that
     has one (a 0 % rate a thin line at the bottom), none on days without. */
  function rateChart(name, label, days, key) {
    const f = SMALL, svg = chartSvg(f, name, label, "small");
    const fr = frame(f, days, [{ at: 0, label: "0%" }, { at: 0.5, label: "50%" }, { at: 1, label: "100%" }]);
    svg.appendChild(fr.g);
    const rated = [];
    days.forEach((d, i) => { if (d[key] !== null && d[key] !== undefined) rated.push(i); });
    const width = Math.min(Math.max(fr.step * 0.7, 3), 26), few = rated.length <= FEW;
    for (const i of rated) {
      const d = days[i], share = Number(d[key]), h = Math.max(fr.plotH * share, 1.5);
      svg.appendChild(bar(fr.x(i) - width / 2, f.top + fr.plotH - h, width, h, "bar rate", d.day, d[key],
        `${d.day}: ${percent(share)}`));
      if (few) {
        const x = Math.min(Math.max(fr.x(i), f.left + 22), f.width - f.right - 22);
        svg.appendChild(svgText(x, f.top + fr.plotH - h - 5, percent(share), "value"));
      }
    }
    svg.appendChild(dayLabels(f, fr, days, few ? rated : []));
    if (!rated.length) emptyNote(f, svg, "no data in these days · 无数据");
    svg.setAttribute("data-bars", rated.length);
    return svg;
  }

  /* Counts per day, one bar per series and day (none where the count is zero). */
  function barChart(name, label, days, series) {
    const f = WIDE, svg = chartSvg(f, name, label, "wide");
    let top = Math.max(2, ...days.flatMap((d) => series.map((s) => d[s.key])));
    if (top % 2) top += 1;  /* so the middle line falls on a whole number */
    const fr = frame(f, days, [{ at: 0, label: "0" }, { at: 0.5, label: String(top / 2) }, { at: 1, label: String(top) }]);
    svg.appendChild(fr.g);
    const width = (fr.step * 0.8) / series.length;
    let bars = 0;
    days.forEach((d, i) => {
      series.forEach((s, j) => {
        const value = d[s.key];
        if (!value) return;
        const h = (fr.plotH * value) / top, left = fr.x(i) - fr.step * 0.4 + width * j;
        svg.appendChild(bar(left, fr.y(value / top), width, h, `bar ${s.key}`, d.day, value,
          `${d.day} ${s.label}: ${value}`));
        bars += 1;
      });
    });
    const every = days.map((_, i) => i).filter((i) => i % f.every === (days.length - 1) % f.every);
    svg.appendChild(dayLabels(f, fr, days, every));
    if (!bars) emptyNote(f, svg, "nothing counted in these days · 无数据");
    svg.setAttribute("data-bars", bars);
    return svg;
  }

  window.DashboardCharts = { rateChart, barChart };
})();
