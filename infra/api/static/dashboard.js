/* The dashboard page: asks for a token, fetches /api/v1/dashboard with it, draws the answer.
   The token lives in this tab's sessionStorage only; `#token=...` in the address is taken
   into it and removed from the address. Every figure shown carries data-figure="name". */
(() => {
  "use strict";

  const TOKEN_KEY = "govledger.dashboard.token";

  const $ = (id) => document.getElementById(id);

  function show(state, message) {
    if (state !== "board") document.querySelectorAll("#board .fill").forEach((box) => box.replaceChildren());
    $("prompt").hidden = state !== "prompt";
    $("board").hidden = state !== "board";
    $("forget").hidden = state === "prompt";
    $("problem").hidden = !message;
    $("problem").textContent = message || "";
    $("status").textContent = state === "loading" ? "Loading… 加载中" : "";
  }

  /* A day as YYYY-MM-DD that the calendar has (2021-02-30 is not one). */
  function isDay(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const parsed = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
  }

  function day() {
    const on = new URLSearchParams(location.search).get("on");
    return on && isDay(on) ? on : null;
  }

  async function load() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return show("prompt");
    show("loading");
    const on = day(), url = "/api/v1/dashboard" + (on ? `?on=${on}` : "");
    let answer;
    try {
      answer = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
    } catch (error) {
      return show("error", `The API could not be reached · 无法连接: ${error.message}`);
    }
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) {
      const message = `${answer.status} ${body.title || answer.statusText}: ${body.detail || ""}`.trim();
      if (answer.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      return show(answer.status === 401 ? "prompt" : "error", message);
    }
    $("day").value = body.on;
    window.DashboardTables.drawAll(body);
    show("board");
    document.body.dataset.loaded = body.on;
  }

  function start() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get("token")) {
      sessionStorage.setItem(TOKEN_KEY, fragment.get("token"));
      history.replaceState(null, "", location.pathname + location.search);
    }
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("token").value.trim();
      if (value) { sessionStorage.setItem(TOKEN_KEY, value); $("token").value = ""; load(); }
    });
    $("day").addEventListener("input", () => $("day").setCustomValidity(""));
    $("day-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("day").value.trim(), query = value ? `?on=${value}` : "";
      if (value && !isDay(value)) {
        $("day").setCustomValidity("YYYY-MM-DD, a day of the calendar (e.g. 2021-12-31)");
        $("day").reportValidity();
        return;
      }
      history.pushState(null, "", location.pathname + query);
      load();
    });
    $("forget").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); show("prompt"); });
    window.addEventListener("popstate", load);
    load();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
