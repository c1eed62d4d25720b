/* The dashboard's tables and cards, drawn from the API's answer with plain DOM calls (text is
   always set as text, never as markup). Every figure carries data-figure="name" and, where its
   text is formatted, data-value with the raw value. A town, department or party is shown by
   its name (from the answer's `names`) beside its code: <span data-code data-name>. Dates are
   written as the API gives them, YYYY-MM-DD, whatever the browser's locale. */
(() => {
  "use strict";

  const KINDS = { licensing: "行政许可 licensing", penalty: "行政处罚 penalty",
    inspection: "行政检查 inspection", coercion: "行政强制 coercion",
    public_service: "公共服务 public service", other: "其他 other" };
  const LISTS = { government_affairs: "政务服务 government affairs", supervisory: "监管执法 supervisory" };
  const RATES = { response: "响应率 response", on_time_resolution: "按时办结率 on-time resolution",
    resolution: "解决率 resolution", satisfaction: "满意率 satisfaction" };
  const COUNTS = [{ key: "dispatched", label: "派单 dispatches" }, { key: "resolved", label: "办结 resolved" },
    { key: "closed", label: "回访 closed" }];
  const DEADLINES = { sign_for: "签收 sign for", resolve: "办结 resolve" };
  const CATEGORIES = { comprehensive: "综合执法 comprehensive", other: "其他 other" };  /* ≥ 80 %, ≥ 50 % */
  const BURDENS = { indicator: "考核指标 indicators", inspection: "督查检查 inspections",
    meeting: "会议 meetings", form: "报表 forms" };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) node.setAttribute(k, String(v));
    }
    for (const child of [].concat(children === undefined ? [] : children)) {
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /* A figure: its text as shown, its name, and its raw value where the text is formatted. */
  function fig(tag, name, text, raw, cls) {
    return el(tag, { "data-figure": name, "data-value": raw === undefined ? null : raw, class: cls },
      text === null || text === undefined ? "—" : String(text));
  }

  function pct(fraction) {
    return fraction === null || fraction === undefined ? "—" : `${(Number(fraction) * 100).toFixed(1)} %`;
  }

  function lateness(seconds) {
    const days = Math.floor(seconds / 86400), hours = Math.floor((seconds % 86400) / 3600);
    return days ? `${days} d ${hours} h` : `${hours} h ${Math.floor((seconds % 3600) / 60)} min`;
  }

  function verdict(name, met) {
    if (met === null || met === undefined) return fig("td", name, "—", "", "verdict");
    return fig("td", name, met ? "✓ 达标 met" : "✗ 未达标 missed", String(met),
      met ? "verdict met" : "verdict missed");
  }

  /* A vocabulary word: its Chinese label, with the English code kept beside it in grey. */
  function term(words, code, block) {
    if (code === null || code === undefined) return "—";
    const label = words[code];
    if (!label) return el("code", {}, code);
    const cut = label.indexOf(" ");
    return el("span", { class: "term", "data-code": code }, [
      el("span", { class: block ? "zh block" : "zh" }, label.slice(0, cut)), " ", el("code", {}, code)]);
  }

  /* A town, department or party: its name where the answer names it, and its code. */
  function named(d, code, block) {
    const name = (d.names || {})[code];
    if (!name) return el("span", { class: "named", "data-code": code }, el("code", {}, code));
    return el("span", { class: "named", "data-code": code, "data-name": name },
      [el("span", { class: block ? "zh block" : "zh" }, name), " ", el("code", {}, code)]);
  }

  function heading(text) {
    /* "中文 English" as the Chinese over the English. */
    const cut = text.indexOf(" ");
    return cut < 0 ? [text] : [el("span", { class: "zh-h" }, text.slice(0, cut)),
      el("span", { class: "en-h" }, text.slice(cut + 1))];
  }

  function table(head, rows, cls) {
    return el("table", { class: cls || "grid" }, [
      el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, heading(h))))),
      el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: head.length, class: "none" },
        "none · 无"))),
    ]);
  }

  function fill(id, ...nodes) {
    const box = $(id);
    box.replaceChildren(...nodes);
  }

  function card(name, label, value, raw, tone) {
    return el("div", { class: `card ${tone || ""}` }, [el("div", { class: "label" }, label),
      fig("div", name, value, raw, "value")]);
  }

  function drawSummary(d) {
    const pools = d.pool.balances.map((p) => card(`summary.pool.${p.pool}.available`,
      `周转池可用 pool available · ${p.name || p.pool}`, `${p.available} / ${p.capacity}`, p.available));
    const total = d.rates.total;
    fill("summary",
      card("summary.towns", "镇街 towns", d.towns.length),
      card("cases.open", "在办案件 open cases", d.cases.open),
      card("cases.overdue", "超期案件 overdue", d.cases.overdue, undefined, d.cases.overdue ? "alert" : "ok"),
      card("monitors.missed", "未达标监测 targets missed", d.monitors.missed, undefined,
        d.monitors.missed ? "alert" : "ok"),
      ...pools,
      card("summary.response", `响应率 response · ${windowLabel(d)}`, pct(total.response), total.response),
      card("summary.satisfaction", `满意率 satisfaction · ${windowLabel(d)}`, pct(total.satisfaction),
        total.satisfaction));
  }

  function windowLabel(d) {
    return `${d.rates.first} – ${d.rates.last}`;
  }

  function drawTowns(d) {
    const kinds = Object.keys(KINDS).filter((k) => d.towns.some((t) => k in t.by_kind));
    const lists = Object.keys(LISTS).filter((k) => d.towns.some((t) => k in t.by_list));
    const rows = d.towns.map((t) => el("tr", { "data-town": t.town }, [
      el("th", { scope: "row" }, named(d, t.town)),
      fig("td", `towns.${t.town}.items`, t.items, undefined, "num strong"),
      ...kinds.map((k) => fig("td", `towns.${t.town}.by_kind.${k}`, t.by_kind[k] || 0, undefined, "num")),
      ...lists.map((k) => fig("td", `towns.${t.town}.by_list.${k}`, t.by_list[k] || 0, undefined, "num muted")),
    ]));
    fill("towns-table", table(["镇街 town", "事项 items", ...kinds.map((k) => KINDS[k]),
      ...lists.map((k) => LISTS[k])], rows));
  }

  /* A monitor's row, its figures named under `name`: its heading cells, its counts, the
     measure against its target (both as `shown`) and the verdict; a missed target marks it. */
  function monitorRow(name, r, head, counts, [measure, target], shown) {
    return el("tr", { class: r.met === false ? "missed" : "" }, [...head,
      ...counts.map((k) => fig("td", `${name}.${k}`, r[k], undefined, "num")),
      fig("td", `${name}.${measure}`, shown(r[measure]), r[measure], "num strong"),
      fig("td", `${name}.${target}`, shown(r[target]), r[target], "num"),
      verdict(`${name}.met`, r.met)]);
  }

  function drawMonitors(d) {
    const m = d.monitors, percent = (figure) => `${figure} %`;
    const departments = m.departments.map((r) => monitorRow(`monitors.departments.${r.department}`, r,
      [el("th", { scope: "row" }, named(d, r.department, true)), el("td", {}, term(CATEGORIES, r.category, true))],
      ["baseline", "sunk"], ["share", "target"], pct));
    const towns = m.towns.map((r) => monitorRow(`monitors.towns.${r.town}`, r,
      [el("th", { scope: "row" }, named(d, r.town, true))], ["baseline", "sunk"], ["growth", "reference"], pct));
    const plan = m.plan.map((r) => monitorRow(`monitors.plan.${r.year}`, r,
      [el("th", { scope: "row" }, String(r.year))], ["towns_planned", "total_planned"],
      ["towns_share_pct", "target_pct"], percent));
    fill("departments-table", table(["部门 department", "类别 category", "基数 baseline", "下沉 sunk",
      "比例 share", "目标 target", ""], departments));
    fill("growth-table", table(["镇街 town", "基数 baseline", "新增 sunk in", "增长 growth",
      "参照 reference", ""], towns));
    fill("plan-table", table(["年度 year", "镇街 towns", "合计 total", "占比 share", "目标 target", ""], plan));
  }

  function drawPool(d) {
    const balances = d.pool.balances.map((p) => el("tr", {}, [
      el("th", { scope: "row" }, [el("span", { class: "zh block" }, p.name), el("code", {}, p.pool)]),
      ...["capacity", "contributed", "outstanding", "available"].map((k) =>
        fig("td", `pool.${p.pool}.${k}`, p[k], undefined, k === "available" ? "num strong" : "num"))]));
    const pools = Object.fromEntries(d.pool.balances.map((p) => [p.pool, p.name]));
    const purposes = d.pool.by_purpose.map((r) => el("tr", {}, [el("td", {}, pools[r.pool]
      ? [el("span", { class: "zh" }, pools[r.pool]), " ", el("code", {}, r.pool)] : el("code", {}, r.pool)),
      el("td", {}, r.purpose), fig("td", `pool.by_purpose.${r.pool}.${r.purpose}.draws`, r.draws, undefined, "num"),
      fig("td", `pool.by_purpose.${r.pool}.${r.purpose}.quotas`, r.quotas, undefined, "num")]));
    const expiring = d.pool.expiring.map((r) => el("tr", {}, [el("td", {}, el("code", {}, r.draw)),
      el("td", {}, named(d, r.town)), fig("td", `pool.expiring.${r.draw}.outstanding`, r.outstanding, undefined, "num"),
      el("td", {}, r.until), fig("td", `pool.expiring.${r.draw}.days_left`, r.days_left, undefined, "num")]));
    fill("pool-table", table(["周转池 pool", "容量 capacity", "已入池 contributed", "在用 outstanding",
      "可用 available"], balances));
    fill("purpose-table", table(["池 pool", "用途 purpose", "笔数 draws", "编制 quotas"], purposes));
    fill("expiring-table", table(["使用 draw", "镇街 town", "编制 quotas", "到期 until", "剩余天数 days left"],
      expiring));
    $("expiring-count").replaceChildren(fig("span", "pool.expiring.count", d.pool.expiring.length));
  }

  function drawCases(d) {
    const c = d.cases;
    const towns = c.by_town.map((t) => el("tr", {}, [el("th", { scope: "row" }, named(d, t.town)),
      fig("td", `cases.by_town.${t.town}.open`, t.open, undefined, "num"),
      fig("td", `cases.by_town.${t.town}.overdue`, t.overdue, undefined, t.overdue ? "num late" : "num")]));
    const late = c.overdue_list.map((o) => el("tr", { "data-case": o.number }, [
      el("th", { scope: "row" }, el("code", {}, o.number)), el("td", {}, named(d, o.town)),
      el("td", {}, o.lead ? named(d, o.lead) : "—"), el("td", {}, term(DEADLINES, o.deadline)),
      el("td", {}, o.due.replace("T", " ").slice(0, 16)),
      fig("td", `cases.overdue_list.${o.number}.late`, lateness(o.late_seconds), o.late_seconds, "num late")]));
    fill("cases-town-table", table(["镇街 town", "在办 open", "超期 overdue"], towns));
    fill("overdue-table", table(["案件 case", "镇街 town", "牵头 lead", "时限 deadline", "应于 due",
      "超期 late by"], late));
    $("cases-at").textContent = d.at.replace("T", " ").slice(0, 19);
  }

  function drawRates(d) {
    const r = d.rates, days = r.days, charts = window.DashboardCharts;
    fill("rate-charts", ...r.names.map((name) => el("figure", { class: "chart-box" }, [
      el("figcaption", {}, [RATES[name] || name, " ",
        fig("span", `rates.total.${name}`, pct(r.total[name]), r.total[name], "total")]),
      charts.rateChart(`rates.${name}`, RATES[name] || name, days, name)])));
    fill("count-chart", el("figure", { class: "chart-box wide" }, [
      el("figcaption", {}, ["每日件数 daily counts ", ...COUNTS.map((s) => el("span", { class: `key ${s.key}` }, s.label))]),
      charts.barChart("counts", "daily counts", days, COUNTS)]));
    fill("rates-window", fig("span", "rates.window", `${r.first} – ${r.last}`, `${r.first}/${r.last}`));
    /* Why the window does not end on the day asked for, or why it is empty. */
    const note = r.moved_back
      ? fig("span", "rates.moved_back", `${r.last} 之后至 ${d.on} 无记录，统计窗口前移至 ${r.last} · moved back:` +
        ` nothing was counted after ${r.last} up to ${d.on}, so the 30 days end on ${r.last}`, r.last)
      : r.last_counted === null
        ? fig("span", "rates.none_counted", `${d.on} 及以前无记录 · nothing counted on or before ${d.on}`, "")
        : null;
    fill("rates-moved", ...(note ? [note] : []));
    $("rates-moved").hidden = !note;
  }

  /* 减负: per district and kind, the items in force on its baseline day and on the day shown. */
  function drawBurden(d) {
    const rows = (d.burden || []).map((r) => el("tr", {}, [
      el("th", { scope: "row" }, el("code", {}, r.district)), el("td", {}, term(BURDENS, r.kind)),
      el("td", {}, r.baseline_on),
      ...["before", "after", "cleared", "added", "change"].map((k) =>
        fig("td", `burden.${r.district}.${r.kind}.${k}`, r[k], undefined, k === "after" ? "num strong" : "num"))]));
    fill("burden-table", table(["区 district", "类别 kind", "基线日 baseline", "基线 before", "当日 after",
      "清理 cleared", "新增 added", "增减 change"], rows));
  }

  /* 社区工作者: per district, then its towns, workers per 10,000 residents against the city's standard. */
  function drawWorkers(d) {
    const rows = (d.workers || []).map((r) => {
      const code = r.town || r.district, name = `workers.${code}`;
      return el("tr", { "data-level": r.level }, [
        el("th", { scope: "row" }, [el("span", { class: "zh block" }, r.name || ""), el("code", {}, code)]),
        ...["workers", "residents"].map((k) => fig("td", `${name}.${k}`, r[k], undefined, "num")),
        fig("td", `${name}.per_10000`, r.per_10000, r.per_10000, "num strong"),
        fig("td", `${name}.standard`, r.standard, undefined, "num"), verdict(`${name}.met`, r.met)]);
    });
    fill("workers-table", table(["区/镇街 district/town", "社区工作者 workers", "常住人口 residents",
      "每万人 per 10,000", "标准 standard", ""], rows));
  }

  function drawAll(d) {
    for (const draw of [drawSummary, drawTowns, drawMonitors, drawPool, drawCases, drawRates, drawBurden,
      drawWorkers]) draw(d);
  }

  window.DashboardTables = { drawAll };
})();
