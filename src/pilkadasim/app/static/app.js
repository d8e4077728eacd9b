/* pilkadasim what-if page. Plain JavaScript, no library: charts are inline SVG drawn here.
   Every request goes to the server that served this page (relative URLs). Words: words.js. */
"use strict";

const CONTROLS = {  // element id → override key
  reserve: "staffing.reserve_units", guard: "staffing.guard_pattern", placement: "staffing.placement",
  dispatch: "dispatch", tension: "incidents.rate_scale", reps: "run.replications",
};
const REPS = [50, 100, 200, 500, 1000];

const state = { lang: "id", config: null, summary: null, view: null, region: null, pinned: null,
                pinnedView: null, controller: null, timer: null, started: 0 };
const $ = (id) => document.getElementById(id);

function tr(key, args) {
  const w = WORDS[key] || CHOICE_WORDS[key];
  let text = w ? (w[state.lang] || w.id) : key;
  for (const [k, v] of Object.entries(args || {})) text = text.split("{" + k + "}").join(String(v));
  return text;
}
function num(x, digits) {
  const s = Number(x).toFixed(digits === undefined ? 1 : digits);
  return (state.lang === "id" ? s.replace(".", ",") : s).replace("-", "−");
}
function pct(p) { return p === null || p === undefined ? tr("not_reached") : num(100 * p, Math.abs(p) >= 0.995 || p === 0 ? 0 : 1) + " %"; }
function minutes(x) { return x === null || x === undefined ? tr("not_reached") : num(x, 1) + " " + tr("minutes"); }
function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c])); }

/* ------------------------------------------------------------------ the plan as overrides */
function currentChanges() {
  const out = [];
  for (const [id, key] of Object.entries(CONTROLS)) {
    const el = $(id), start = state.config.values[key];
    const value = el.value;
    const same = typeof start === "number" ? Number(value) === start : value === start;
    if (!same) out.push(key + "=" + value);
  }
  return out;
}
function query(changes, name) { return changes.map((o) => name + "=" + encodeURIComponent(o)).join("&"); }
function describePlan(changes) { return changes.length ? changes.join(" ") : tr("start_plan"); }

async function getJSON(url, signal) {
  const res = await fetch(url, { signal, cache: "no-store" });
  const body = await res.json();
  if (!res.ok) { const e = new Error(body.error || res.statusText); e.status = res.status; throw e; }
  return body;
}

/* ------------------------------------------------------------------ running */
function schedule() {
  if (!/^\d+$/.test($("reserve").value)) return;  // half-typed number: wait for the rest
  clearTimeout(state.timer);
  state.timer = setTimeout(update, 60);
}

async function update() {
  if (state.controller) state.controller.abort();  // the server stops the stale run
  const controller = new AbortController();
  state.controller = controller;
  const changes = currentChanges(), q = query(changes, "o");
  $("headline").dataset.state = "busy";
  setStatus("busy", { n: $("reps").value });
  $("files").innerHTML = "";
  if (state.pinned) $("compare-words").dataset.state = "busy";
  const t0 = performance.now();
  try {
    const summary = await getJSON("api/summary?" + q, controller.signal);
    state.summary = summary;
    showError(null);
    renderHeadline(q);
    renderStaffing();
    setStatus("done", { s: (performance.now() - t0) / 1000 });
    const view = await getJSON("api/view?" + q, controller.signal);
    state.view = view;
    renderView();
    if (state.pinned) await renderCompare(changes, controller.signal);
    else state.compare = null;
  } catch (err) {
    if (err.name === "AbortError") return;
    $("headline").dataset.state = "error";
    setStatus(null);
    showError(err.message);
  }
}

function setStatus(key, args) {
  state.status = key ? [key, args] : null;
  const shown = key && args && args.s !== undefined ? { s: num(args.s, 1) } : args;
  $("status").textContent = key ? tr(key, shown) : "";
}

function showError(message) {
  $("error").hidden = !message;
  $("error").textContent = message || "";
}

/* ------------------------------------------------------------------ headline */
function ciText(ci, fmt, unit) {
  return ci ? tr("ci", { lo: fmt(ci[0]), hi: fmt(ci[1]) }) + (unit ? " " + unit : "") : tr("no_ci");
}
function tone(p) { return p === null ? "bad" : p >= 0.9 ? "good" : p >= 0.75 ? "mid" : "bad"; }

function renderHeadline(key) {
  const s = state.summary, cards = [];
  const targets = Object.keys(s.within_target).sort((a, b) => Number(b) - Number(a));
  for (const t of targets) {
    const w = s.within_target[t];
    cards.push(card(tone(w.p), tr("within", { t }), pct(w.p), tr("of_incidents") + " · " + ciText(w.ci95, pct), "within-" + t));
  }
  const r = s.reserve_response_min;
  const rci = r.ci95 ? r.ci95.p90 : null;
  const p90tone = r.p90 === null ? "bad" : r.p90 <= Math.max(...state.config.targets) ? "good" : "mid";
  cards.push(card(p90tone, tr("reserve_p90"), minutes(r.p90), ciText(rci, (v) => num(v, 1), tr("minutes")), "reserve-p90"));
  const days = s.replications;
  const unserved = s.unserved ? " · " + tr("unserved", { n: s.unserved, d: days }) : "";
  cards.push(card("", tr("per_day"), num(s.incidents_per_day.mean, 1), ciText(s.incidents_per_day.ci95, (x) => num(x, 1)) + unserved, "per-day"));
  const el = $("headline");
  el.innerHTML = cards.join("");
  el.dataset.key = key;
  el.dataset.state = "ready";
}
function card(cls, label, value, sub, id) {
  return `<div class="card ${cls}" data-testid="${id}"><div class="label">${esc(label)}</div>` +
    `<div class="value">${esc(value)}</div><div class="ci">${esc(sub)}</div></div>`;
}

/* ------------------------------------------------------------------ staffing */
function renderStaffing() {
  const s = state.summary.staffing || {};
  const total = s.personnel_total;
  $("staffing-title").textContent = tr("staffing", { n: total === undefined ? "" : total });
  if (total === undefined) { $("staffing").innerHTML = ""; return; }
  const parts = [["tps_guards", "#5b8bd0"], ["reserve", "#0b5394"], ["command_and_support", "#b9c4d3"]];
  const used = s.tps_guards + s.reserve + s.command_and_support;
  const bar = parts.map(([k, c]) => `<span style="width:${(100 * s[k]) / Math.max(used, total)}%;background:${c}" title="${esc(tr(k))}"></span>`).join("");
  const rows = parts.map(([k, c]) => `<tr><td><i style="display:inline-block;width:.8em;height:.8em;background:${c}"></i> ${esc(tr(k))}</td><td>${s[k]}</td></tr>`).join("");
  const check = s.over_budget > 0
    ? `<p class="warn">${esc(tr("over", { n: total, k: s.over_budget }))}</p>`
    : `<p class="ok">✓ ${esc(tr("within_budget", { n: total }))}</p>`;
  const partners = s.partner_units ? `<p class="muted">${esc(tr("partners", { u: s.partner_units, p: s.partner_personnel }))}</p>` : "";
  $("staffing").innerHTML = `<div class="bar">${bar}</div><table class="split">${rows}</table>${check}${partners}`;
}

/* ------------------------------------------------------------------ ECDF */
function renderEcdf() {
  const svg = $("ecdf"), W = 560, H = 320, L = 46, R = 14, T = 12, B = 40;
  const targets = state.view.targets, xmax = Math.max(60, 1.5 * Math.max(...targets));
  const x = (v) => L + (Math.min(v, xmax) / xmax) * (W - L - R), y = (p) => T + (1 - p) * (H - T - B);
  let g = "";
  for (let p = 0; p <= 1.0001; p += 0.2) {
    g += `<line x1="${L}" x2="${W - R}" y1="${y(p)}" y2="${y(p)}" stroke="#eef0f3"/>`;
    g += `<text x="${L - 6}" y="${y(p) + 4}" text-anchor="end">${Math.round(p * 100)} %</text>`;
  }
  for (let m = 0; m <= xmax; m += 10) g += `<text x="${x(m)}" y="${H - B + 16}" text-anchor="middle">${m}</text>`;
  g += `<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">${esc(tr("ax_min"))}</text>`;
  for (const t of targets) {
    g += `<line x1="${x(t)}" x2="${x(t)}" y1="${T}" y2="${H - B}" stroke="#d73027" stroke-dasharray="4 3"/>`;
    g += `<text x="${x(t) + 4}" y="${T + 12}" style="fill:#d73027">${esc(tr("target", { t }))}</text>`;
  }
  const line = (pts, colour, width, label) => {
    if (!pts.length) return "";
    let d = `M${x(0)},${y(0)}`;
    let last = [0, 0];
    for (const [v, p] of pts) {
      if (v > xmax) break;  // beyond the axis: the curve ends at the edge at its last height
      d += `L${x(v).toFixed(1)},${y(p).toFixed(1)}`;
      last = [v, p];
    }
    d += `L${x(xmax)},${y(last[1]).toFixed(1)}`;
    return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${width}"/>` +
      `<text x="${W - R - 2}" y="${y(last[1]) - 5}" text-anchor="end" style="fill:${colour}">${label}</text>`;
  };
  if (state.pinnedView) g += line(state.pinnedView.ecdf, "#9aa5b4", 2, "A");
  g += line(state.view.ecdf, "#0b5394", 2.5, state.pinned ? "B" : "");
  g += `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#8894a4"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#8894a4"/>`;
  svg.innerHTML = g;
}

/* ------------------------------------------------------------------ map */
function renderMap() {
  const svg = $("map"), reg = state.region, W = 560, H = 420, pad = 10;
  if (!reg) return;
  const rings = reg.outlines ? reg.outlines.kecamatan.flatMap((k) => k.rings.map((r) => [k.name, r])) : [];
  const lons = reg.tps.lon.concat(rings.flatMap(([, r]) => r.map((p) => p[0])));
  const lats = reg.tps.lat.concat(rings.flatMap(([, r]) => r.map((p) => p[1])));
  const lat0 = (Math.min(...lats) + Math.max(...lats)) / 2, k = Math.cos((lat0 * Math.PI) / 180);
  const x0 = Math.min(...lons), x1 = Math.max(...lons), y0 = Math.min(...lats), y1 = Math.max(...lats);
  const s = Math.min((W - 2 * pad) / ((x1 - x0) * k || 1), (H - 2 * pad) / (y1 - y0 || 1));
  const left = (W - (x1 - x0) * k * s) / 2;  // centred
  const px = (lon) => left + (lon - x0) * k * s, py = (lat) => pad + (y1 - lat) * s;
  let g = "";
  for (const [, r] of rings) {
    if (r.length < 3) continue;
    g += `<path d="M${r.map((p) => px(p[0]).toFixed(1) + "," + py(p[1]).toFixed(1)).join("L")}Z" fill="#eef2f6" stroke="#8e9bb0" stroke-width="0.7"/>`;
  }
  const [a, b] = [Math.min(...state.config.targets), Math.max(...state.config.targets)];
  const values = state.view ? state.view.tps_p90 : [];
  reg.tps.id.forEach((id, i) => {
    const v = values[i];
    const c = v === null || v === undefined ? "#c4c9d0" : v === "unreached" ? "#111" : v <= a ? "#1a9850" : v <= b ? "#f29e38" : "#d73027";
    const label = v === null || v === undefined ? tr("lg_none") : v === "unreached" ? tr("not_reached") : minutes(v);
    g += `<circle cx="${px(reg.tps.lon[i]).toFixed(1)}" cy="${py(reg.tps.lat[i]).toFixed(1)}" r="2.6" fill="${c}"><title>${esc(id)}: p90 ${esc(label)}</title></circle>`;
  });
  for (const base of reg.bases) {
    g += `<rect x="${px(base.lon) - 3.5}" y="${py(base.lat) - 3.5}" width="7" height="7" fill="#fff" stroke="#0b5394" stroke-width="1.6"><title>${esc(base.name)}</title></rect>`;
  }
  svg.innerHTML = g;
  const dot = (c, t) => `<span><i style="background:${c}"></i>${esc(t)}</span>`;
  $("map-legend").innerHTML = dot("#1a9850", tr("lg_fast", { a })) + dot("#f29e38", tr("lg_mid", { a, b })) +
    dot("#d73027", tr("lg_slow", { b })) + dot("#111", tr("not_reached")) + dot("#c4c9d0", tr("lg_none")) +
    `<span><i style="background:#fff;border:1.5px solid #0b5394;border-radius:0"></i>${esc(tr("lg_base"))}</span>`;
}

/* ------------------------------------------------------------------ attention */
function renderAttention() {
  const t = Math.max(...state.view.targets), rows = state.view.attention;
  let html = "";
  const kec = Object.entries(state.summary.by_kecamatan || {}).filter(([, v]) => v["within_" + t] !== undefined);
  if (kec.length) {
    kec.sort((p, q) => p[1]["within_" + t] - q[1]["within_" + t]);
    html += `<p>${esc(tr("att_kec", { k: kec[0][0], p: pct(kec[0][1]["within_" + t]), t }))}</p>`;
  }
  if (!rows.length) html += `<p class="muted">${esc(tr("att_none"))}</p>`;
  else {
    html += `<table><tr><th>${esc(tr("att_place"))}</th><th>${esc(tr("att_miss", { t }))}</th><th>${esc(tr("att_n"))}</th></tr>`;
    for (const r of rows) {
      const where = r.desa ? `${r.tps_id.split("-").pop()} · ${r.desa}, ${r.kecamatan}` : r.tps_id;
      html += `<tr><td title="${esc(r.tps_id)}">${esc(where)}</td><td>${esc(pct(r.miss))}</td><td>${esc(num((100 * r.incidents) / state.summary.replications, 0))}</td></tr>`;
    }
    html += "</table>";
  }
  $("attention").innerHTML = html;
}

function commandText() {
  const cmd = state.view ? state.view.command : "";
  return cmd && state.lang !== state.config.lang ? cmd + " report.lang=" + state.lang : cmd;
}

function renderView() {
  renderEcdf();
  renderMap();
  renderAttention();
  $("command").textContent = commandText();
}

/* ------------------------------------------------------------------ compare */
async function pin() {
  state.pinned = currentChanges();
  state.pinnedView = state.view;
  $("unpin").hidden = false;
  renderPinned();
  state.compare = null;
  drawCompare();
  renderEcdf();
}
function unpin() {
  state.pinned = null; state.pinnedView = null;
  $("unpin").hidden = true;
  renderPinned();
  $("compare-words").innerHTML = ""; $("compare-words").dataset.state = "empty";
  renderEcdf();
}
function renderPinned() {
  $("pinned").textContent = state.pinned ? tr("pinned", { a: describePlan(state.pinned) }) : tr("pin_hint");
}
async function renderCompare(changes, signal) {
  const list = $("compare-words");
  list.dataset.state = "busy";
  if (changes.join(" ") === state.pinned.join(" ")) { state.compare = null; drawCompare(); return; }
  try {
    state.compare = await getJSON("api/compare?" + query(state.pinned, "a") + "&" + query(changes, "b"), signal);
  } catch (err) {
    if (err.name === "AbortError" || err.status !== 400) throw err;
    state.compare = null;  // e.g. not the same days: said here, the headline stays valid
    list.innerHTML = `<li class="minus">${esc(err.message)}</li>`;
    list.dataset.state = "error";
    return;
  }
  drawCompare();
}
function drawCompare() {
  const list = $("compare-words"), res = state.compare;
  if (!state.pinned) return;
  if (!res) {  // B is still the same plan as A
    list.innerHTML = `<li class="muted">${esc(tr("same_plan"))}</li>`;
    list.dataset.state = "same";
    return;
  }
  const lines = res.words[state.lang];
  list.innerHTML = lines.map((w, i) => {
    const s = i < res.shares.length ? res.shares[i] : null;
    const cls = s && s.ci95[0] > 0 ? "plus" : s && s.ci95[1] < 0 ? "minus" : "";
    return `<li class="${cls}">${esc(w)}</li>`;
  }).join("");
  list.dataset.state = "ready";
}

/* ------------------------------------------------------------------ meeting files */
async function makeFiles() {
  const changes = currentChanges(), q = query(changes, "o") + "&lang=" + state.lang;
  $("files").innerHTML = `<li>${esc(tr("making"))}</li>`;
  try {
    const res = await getJSON("api/files?" + q);
    const link = (name) => `<a href="api/file?${q}&name=${encodeURIComponent(name)}" download="${esc(name.split("/").pop())}" data-file="${esc(name)}">${esc(WORDS[name] ? tr(name) : name)}</a>`;
    const main = res.files.filter((n) => /^(report|slides)/.test(n));
    const rest = res.files.filter((n) => !main.includes(n));
    $("files").innerHTML = main.map((n) => `<li>${link(n)}</li>`).join("") +
      `<li><details><summary>${esc(tr("other_files"))}</summary>${rest.map(link).join(" · ")}</details></li>`;
  } catch (err) {
    $("files").innerHTML = "";
    showError(err.message);
  }
}
async function copyCommand() {
  const text = $("command").textContent;
  try { await navigator.clipboard.writeText(text); } catch (e) {
    const range = document.createRange(); range.selectNodeContents($("command"));
    const sel = getSelection(); sel.removeAllRanges(); sel.addRange(range); document.execCommand("copy");
  }
  $("copy").textContent = tr("copied");
  setTimeout(() => { $("copy").textContent = tr("copy"); }, 1500);
}

/* ------------------------------------------------------------------ language and start */
function setLang(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  document.title = tr("title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = tr(el.dataset.i18n);
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  for (const sel of ["guard", "placement", "dispatch"]) for (const o of $(sel).options) o.textContent = tr(o.value);
  try { localStorage.setItem("pilkadasim-lang", lang); } catch (e) { /* private mode */ }
  renderPinned();
  if (state.status) setStatus(...state.status);
  $("tension-out").textContent = "× " + num($("tension").value, 2);
  if (state.summary) { renderHeadline($("headline").dataset.key || ""); renderStaffing(); }
  if (state.view) renderView();
  drawCompare();
}

function fillControls(cfg) {
  const v = cfg.values;
  $("reserve").value = v["staffing.reserve_units"];
  const fill = (id, items, value) => {
    $(id).innerHTML = items.map((c) => `<option value="${esc(c)}">${esc(c)}</option>`).join("");
    $(id).value = value;
  };
  fill("guard", cfg.choices["staffing.guard_pattern"], v["staffing.guard_pattern"]);
  fill("placement", cfg.choices["staffing.placement"], v["staffing.placement"]);
  fill("dispatch", cfg.choices.dispatch, v.dispatch);
  $("tension").value = v["incidents.rate_scale"];
  $("tension-out").textContent = "× " + num(v["incidents.rate_scale"], 2);
  const reps = REPS.filter((n) => !cfg.max_replications || n <= cfg.max_replications);
  if (!reps.includes(v["run.replications"])) reps.push(v["run.replications"]);
  $("reps").innerHTML = reps.sort((a, b) => a - b).map((n) => `<option value="${n}">${n}</option>`).join("");
  $("reps").value = String(v["run.replications"]);
}

async function start() {
  try {
    state.config = await getJSON("api/config");
  } catch (err) { showError(err.message); return; }
  let lang = state.config.lang;
  try { lang = localStorage.getItem("pilkadasim-lang") || lang; } catch (e) { /* private mode */ }
  fillControls(state.config);
  setLang(lang === "en" ? "en" : "id");
  for (const id of Object.keys(CONTROLS)) $(id).addEventListener(id === "reserve" ? "input" : "change", schedule);
  $("tension").addEventListener("input", () => { $("tension-out").textContent = "× " + num($("tension").value, 2); });
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLang(b.dataset.lang));
  $("reset").addEventListener("click", () => { fillControls(state.config); schedule(); });
  $("pin").addEventListener("click", pin);
  $("unpin").addEventListener("click", unpin);
  $("make-files").addEventListener("click", makeFiles);
  $("copy").addEventListener("click", copyCommand);
  getJSON("api/region").then((r) => { state.region = r; renderMap(); }).catch((e) => showError(e.message));
  update();
}
start();
