// The coach page: athletes, a left/right chart per unilateral exercise, the insight feed with advice.
// Reads the same JSON API as any client, with the coach's token. The token is only ever typed into the
// sign-in form and kept in sessionStorage (this tab only); it is never read from the address, so a link
// cannot sign anyone in, not even into someone else's account.
"use strict";

const TOKEN_KEY = "thrustline-token";
// The rules' titles and the imbalance bands come from GET /v1/rules, which reads the rule book: no copy here.
let ruleTitles = {};
let imbalanceBands = { warningPct: null, alertPct: null };
const charts = [];
let athletesOnList = [];   // ids of the athletes this coach may see
let athleteWanted = 0;     // counts clicks, so a slow answer for an earlier athlete cannot overwrite a later one

// The warning and alert bands (10 % and 15 % in the built-in rule book), across the chart on the percentage axis, both signs.
const bands = {
  id: "asymmetryBands",
  afterDatasetsDraw(chart) {
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.setLineDash([6, 4]);
    const { warningPct: warn, alertPct: alert } = imbalanceBands;
    if (warn == null) { ctx.restore(); return; }
    for (const [value, color] of [[warn, "#b58900"], [-warn, "#b58900"], [alert, "#c0392b"], [-alert, "#c0392b"]]) {
      const y = scales.pct.getPixelForValue(value);
      ctx.strokeStyle = color;
      ctx.beginPath();
      ctx.moveTo(chartArea.left, y);
      ctx.lineTo(chartArea.right, y);
      ctx.stroke();
    }
    ctx.restore();
  },
};

// --- The address: no token ever, and the athlete being looked at ---

// Drops a token= from the fragment (and query) without reading its value; keeps everything else.
function forgetTokenInAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  if (!fragment.has("token") && !query.has("token")) return;
  fragment.delete("token");
  query.delete("token");
  const [search, rest] = [query.toString(), fragment.toString()];
  history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + (rest ? "#" + rest : ""));
}

// Athlete ids look like "demo-gym:ath-mia"; URLSearchParams encodes and decodes them both ways.
function athleteInAddress() { return new URLSearchParams(location.hash.slice(1)).get("athlete"); }

function linkToAthlete(athleteId) { return "#" + new URLSearchParams({ athlete: athleteId }); }

// --- Talking to the API ---

function savedToken() { return sessionStorage.getItem(TOKEN_KEY); }

class ApiError extends Error {
  constructor(httpStatus, message) { super(message); this.httpStatus = httpStatus; }
  get notSignedIn() { return this.httpStatus === 401; }
  get notAllowed() { return this.httpStatus === 403; }
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: "Bearer " + savedToken() }, cache: "no-store" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.error || ("HTTP " + response.status));
  return body;
}

// Acknowledging and reopening: the only writes the page makes.
async function apiSend(method, path, body) {
  const response = await fetch(path, {
    method, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body),
    headers: { Authorization: "Bearer " + savedToken(), "Content-Type": "application/json" },
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, answer.detail || answer.error || ("HTTP " + response.status));
  return answer;
}

function athletePath(athleteId, what) { return `/v1/athletes/${encodeURIComponent(athleteId)}/${what}`; }

// --- Drawing ---

function status(text) { document.getElementById("status").textContent = text; }

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => v !== undefined && node.setAttribute(k, v));
  children.forEach((c) => node.append(c)); // append() takes strings as text: names from the API never become markup
  return node;
}

async function showAthletes() {
  const { items } = await api("/v1/athletes");
  drawAthleteList(items);
  document.querySelector("main").hidden = false;
  if (items.length === 0) { status("No athletes yet."); return; }
  status("");
  const wanted = athleteInAddress();
  await showAthlete(athletesOnList.includes(wanted) ? wanted : athletesOnList[0]);
}

function drawAthleteList(items) {
  athletesOnList = items.map((a) => a.athleteId);
  const current = document.getElementById("athlete").dataset.loaded;
  const list = document.getElementById("athletes");
  list.replaceChildren(...items.map((a) => {
    const latest = a.latestAsymmetryPct == null ? "no single-leg work yet"
      : a.latestSideMissing ? `${a.latestWeakerSide.toLowerCase()} side not logged last time`
      : `${a.latestAsymmetryPct.toFixed(1)} % ${a.latestWeakerSide ? a.latestWeakerSide.toLowerCase() + " weaker" : "even"}`;
    const button = element("button", { type: "button", "data-athlete": a.athleteId }, a.athleteId);
    if (a.openAlerts > 0) button.append(element("span", { class: "badge", title: "alerts of the last two weeks not yet acknowledged" }, String(a.openAlerts)));
    button.append(element("span", { class: "meta" }, latest));
    button.setAttribute("aria-current", String(a.athleteId === current));
    button.addEventListener("click", () => openAthlete(a.athleteId));
    return element("li", {}, button);
  }));
}

async function showAthlete(athleteId) {
  const thisRequest = ++athleteWanted;
  document.querySelectorAll("#athletes button").forEach((b) => b.setAttribute("aria-current", String(b.dataset.athlete === athleteId)));
  document.getElementById("athlete-name").textContent = athleteId;
  const [balance, insights] = await Promise.all([
    api(athletePath(athleteId, "balance?limit=1000")),
    api(athletePath(athleteId, feedQuery())),
  ]);
  if (thisRequest !== athleteWanted) return; // the coach has already picked someone else
  drawCharts(balance.items);
  drawFeed(insights.items);
  document.getElementById("athlete").dataset.loaded = athleteId; // lets tests (and people) see the switch is done
  history.replaceState(null, "", linkToAthlete(athleteId)); // a link a coach can share: the athlete, never the token
}

function drawCharts(rows) {
  charts.splice(0).forEach((c) => c.destroy());
  const byExercise = new Map();
  rows.forEach((r) => byExercise.set(r.exercise, [...(byExercise.get(r.exercise) || []), r]));
  const container = document.getElementById("charts");
  if (byExercise.size === 0) { container.replaceChildren(element("p", {}, "No single-leg work logged yet.")); return; }
  container.replaceChildren(...[...byExercise.entries()].map(([exercise, sessions]) => {
    const canvas = element("canvas", { class: "balance-chart", "data-exercise": exercise, role: "img",
      "aria-label": `Left and right volume of ${exercise} per session` });
    // The chart's box gets its height from coach.css: a style="" attribute would break the page's CSP.
    const area = element("div", { class: "chart-area" }, canvas);
    // A session with too few reps on a side to compare has no asymmetry to show: a gap, labelled, like a force
    // plate's "N/A", rather than a 33 % spike from 3 reps against 2.
    const labels = sessions.map((s) => s.insufficientData ? `${s.sessionDate} (n/a: too few reps)` : s.sessionDate);
    // Signed: above zero the right side is behind, below zero the left.
    const signed = sessions.map((s) => s.insufficientData ? null : (s.weakerSide === "LEFT" ? -s.asymmetryPct : s.asymmetryPct));
    charts.push(new Chart(canvas, {
      data: {
        labels,
        datasets: [
          { type: "bar", label: "Left", data: sessions.map((s) => s.leftVolume), backgroundColor: "#2f6fb5", yAxisID: "volume", order: 2 },
          { type: "bar", label: "Right", data: sessions.map((s) => s.rightVolume), backgroundColor: "#d9822b", yAxisID: "volume", order: 2 },
          { type: "line", label: "Weaker side behind (%)", data: signed, yAxisID: "pct", borderColor: "#1f2933",
            backgroundColor: "#1f2933", tension: 0.2, pointRadius: 4, order: 1 }, // lower order: drawn over the bars
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: {
          // grace: headroom above the tallest bar, which otherwise touches the top edge and reads as clipped
          volume: { position: "left", beginAtZero: true, grace: "10%", title: { display: true, text: sessions[0].loaded ? "reps x kg" : "reps" } },
          pct: { position: "right", suggestedMin: -25, suggestedMax: 25, grid: { drawOnChartArea: false },
            title: { display: true, text: "% (+ right weaker, - left weaker)" } },
        },
      },
      plugins: [bands],
    }));
    return element("div", { class: "chart" }, element("h4", {}, exercise.replaceAll("_", " ")), area);
  }));
}

// The feed as filtered by the coach: the API does the filtering, so the 50 shown are the newest that match.
function feedQuery() {
  const query = new URLSearchParams({ limit: "50" });
  const rule = document.getElementById("filter-rule").value;
  const severity = document.getElementById("filter-severity").value;
  const state = document.getElementById("filter-state").value;
  if (rule) query.set("rule", rule);
  if (severity) query.set("severity", severity);
  if (state) query.set("state", state);
  return "insights?" + query;
}

async function refilterFeed() {
  const athleteId = document.getElementById("athlete").dataset.loaded;
  if (!athleteId) return;
  const thisRequest = athleteWanted;
  const feed = document.getElementById("feed");
  delete feed.dataset.filter;
  const insights = await api(athletePath(athleteId, feedQuery()));
  if (thisRequest !== athleteWanted) return;
  drawFeed(insights.items);
  feed.dataset.filter = feedQuery(); // lets tests (and people) see the filtered feed is in
}

function drawFeed(items) {
  const feed = document.getElementById("feed");
  if (items.length === 0) { feed.replaceChildren(element("li", {}, "Nothing to flag.")); return; }
  feed.replaceChildren(...items.map(insightItem));
}

function insightItem(i) {
  const acknowledged = i.acknowledgedAt != null;
  const item = element("li", { class: `insight ${i.severity}${acknowledged ? " acknowledged" : ""}`, "data-rule": i.rule,
      "data-insight": i.insightId, "data-state": acknowledged ? "acknowledged" : "open" },
    element("strong", {}, `${ruleTitles[i.rule] || i.rule} · ${i.severity.toLowerCase()}`),
    element("div", { class: "when" }, new Date(i.detectedAt).toLocaleString() + (i.exercise ? " · " + i.exercise.replaceAll("_", " ") : "")),
    element("p", {}, i.message),
    element("p", { class: "advice" }, i.advice));
  item.append(acknowledged ? acknowledgement(i) : acknowledgeForm(i));
  return item;
}

// Who acknowledged it, when, their note, and a way to take it back.
function acknowledgement(i) {
  const who = i.acknowledgedBy === "admin" ? "an admin" : i.acknowledgedBy.replace(/^coach:/, "");
  const box = element("div", { class: "ack" }, element("span", {}, `Acknowledged by ${who}, ${new Date(i.acknowledgedAt).toLocaleString()}`));
  if (i.ackComment) box.append(element("q", {}, i.ackComment));
  const reopen = element("button", { type: "button", class: "reopen" }, "Reopen");
  reopen.addEventListener("click", () => changeAcknowledgement(i, "DELETE"));
  box.append(reopen);
  return box;
}

function acknowledgeForm(i) {
  const note = element("input", { type: "text", maxlength: "500", placeholder: "Note (optional, stays out of exports)", "aria-label": "Note" });
  const button = element("button", { type: "submit" }, "Acknowledge");
  const form = element("form", { class: "ack" }, note, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const comment = note.value.trim();
    changeAcknowledgement(i, "POST", comment ? { comment } : undefined);
  });
  return form;
}

async function changeAcknowledgement(insight, method, body) {
  try {
    const changed = await apiSend(method, `/v1/insights/${encodeURIComponent(insight.insightId)}/ack`, body);
    const shown = document.querySelector(`#feed [data-insight="${CSS.escape(insight.insightId)}"]`);
    const state = document.getElementById("filter-state").value;
    const stillMatches = !state || state === (changed.acknowledgedAt != null ? "acknowledged" : "open");
    if (shown) { if (stillMatches) shown.replaceWith(insightItem(changed)); else shown.remove(); }
    drawAthleteList((await api("/v1/athletes")).items); // the open-alert badge follows
  } catch (e) {
    if (e.notSignedIn) signOut(refusal(e)); else status("Could not save: " + e.message);
  }
}

async function loadRules() {
  const answer = await api("/v1/rules");
  ruleTitles = Object.fromEntries(answer.rules.map((r) => [r.name, r.title]));
  imbalanceBands = answer.imbalanceBands;
  document.getElementById("band-legend").textContent =
    `the ${imbalanceBands.warningPct} % warning and ${imbalanceBands.alertPct} % alert bands`;
  const ruleFilter = document.getElementById("filter-rule");
  ruleFilter.replaceChildren(element("option", { value: "" }, "all"),
    ...answer.rules.map((r) => element("option", { value: r.name }, r.title)));
}

// Takes the previous coach's athletes off the screen, so nothing of theirs stays visible after sign-out.
function clearAthletes() {
  charts.splice(0).forEach((c) => c.destroy());
  athletesOnList = [];
  athleteWanted++;
  document.querySelector("main").hidden = true;
  ["athletes", "charts", "feed"].forEach((id) => document.getElementById(id).replaceChildren());
  document.getElementById("athlete-name").textContent = "";
  delete document.getElementById("athlete").dataset.loaded;
}

// --- Signing in and out ---

function showSignIn(problem) {
  clearAthletes();
  document.getElementById("sign-out").hidden = true;
  document.getElementById("sign-in").hidden = false;
  document.getElementById("sign-in-message").textContent = problem || "";
  document.getElementById("token").focus();
}

function signOut(problem) {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn(problem);
}

// What a coach should read when the API turns the token down.
function refusal(error) {
  return error.notSignedIn ? "That access token was not accepted. Check it and sign in again."
    : "This access token cannot open the coach page. Sign in with a coach or admin token.";
}

async function openCoachPage() {
  document.getElementById("sign-in").hidden = true;
  document.getElementById("sign-in-message").textContent = "";
  document.getElementById("sign-out").hidden = false;
  status("Loading…");
  try {
    await loadRules();
    await showAthletes();
  } catch (e) {
    if (e.notSignedIn || e.notAllowed) { status(""); signOut(refusal(e)); } else status("Could not load: " + e.message);
  }
}

async function openAthlete(athleteId) {
  try {
    await showAthlete(athleteId);
  } catch (e) {
    if (e.notSignedIn) signOut(refusal(e));
    else if (e.notAllowed) status(`You may not see ${athleteId}.`);
    else status("Could not load: " + e.message);
  }
}

function start() {
  forgetTokenInAddress();
  document.getElementById("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault(); // the page signs in by itself; the form is never sent anywhere
    const field = document.getElementById("token");
    const typed = field.value.trim();
    field.value = "";
    if (!typed) return;
    sessionStorage.setItem(TOKEN_KEY, typed);
    openCoachPage();
  });
  document.getElementById("sign-out").addEventListener("click", () => { signOut(); status("Signed out."); });
  ["filter-rule", "filter-severity", "filter-state"].forEach((id) => document.getElementById(id).addEventListener("change", () => refilterFeed().catch((e) => status("Could not load: " + e.message))));
  // Someone may paste a link into the address bar of an open page: follow the athlete, never a token.
  window.addEventListener("hashchange", () => {
    forgetTokenInAddress();
    const wanted = athleteInAddress();
    if (savedToken() && athletesOnList.includes(wanted) && document.getElementById("athlete").dataset.loaded !== wanted) openAthlete(wanted);
  });
  if (savedToken()) openCoachPage(); else showSignIn();
}

start();
