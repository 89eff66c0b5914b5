// The coach page: athletes, a left/right chart per unilateral exercise, the insight feed with advice.
// Reads the same JSON API as any client, with the coach's token (kept for this tab only).
"use strict";

const RULE_NAMES = {
  LEFT_RIGHT_IMBALANCE: "Left/right imbalance",
  UNILATERAL_SIDE_MISSING: "One side missing",
  PERSISTENT_IMBALANCE: "Persistent imbalance",
  LOAD_INCREASE_BEFORE_CONTROL: "Load added before control",
  HINGE_BEFORE_BRIDGE: "Hinge before bridge activation",
};
const charts = [];

// The 10 % warning and 15 % alert bands, drawn across the whole chart on the percentage axis, both signs.
const bands = {
  id: "asymmetryBands",
  afterDatasetsDraw(chart) {
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.setLineDash([6, 4]);
    for (const [value, color] of [[10, "#b58900"], [-10, "#b58900"], [15, "#c0392b"], [-15, "#c0392b"]]) {
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

function token() { return sessionStorage.getItem("thrustline-token"); }

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: "Bearer " + token() } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
  return body;
}

function status(text) { document.getElementById("status").textContent = text; }

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => v !== undefined && node.setAttribute(k, v));
  children.forEach((c) => node.append(c));
  return node;
}

async function showAthletes() {
  const { items } = await api("/v1/athletes");
  const list = document.getElementById("athletes");
  list.replaceChildren(...items.map((a) => {
    const latest = a.latestAsymmetryPct == null ? "no single-leg work yet"
      : a.latestSideMissing ? `${a.latestWeakerSide.toLowerCase()} side not logged last time`
      : `${a.latestAsymmetryPct.toFixed(1)} % ${a.latestWeakerSide ? a.latestWeakerSide.toLowerCase() + " weaker" : "even"}`;
    const button = element("button", { type: "button", "data-athlete": a.athleteId }, a.athleteId);
    if (a.openAlerts > 0) button.append(element("span", { class: "badge", title: "alerts in the last two weeks" }, String(a.openAlerts)));
    button.append(element("span", { class: "meta" }, latest));
    button.addEventListener("click", () => showAthlete(a.athleteId));
    return element("li", {}, button);
  }));
  document.querySelector("main").hidden = false;
  if (items.length === 0) { status("No athletes yet."); return; }
  status("");
  const wanted = new URLSearchParams(location.hash.slice(1)).get("athlete");
  await showAthlete(items.some((a) => a.athleteId === wanted) ? wanted : items[0].athleteId);
}

async function showAthlete(athleteId) {
  document.querySelectorAll("#athletes button").forEach((b) => b.setAttribute("aria-current", String(b.dataset.athlete === athleteId)));
  document.getElementById("athlete-name").textContent = athleteId;
  const id = encodeURIComponent(athleteId);
  const [balance, insights] = await Promise.all([
    api(`/v1/athletes/${id}/balance?limit=1000`),
    api(`/v1/athletes/${id}/insights?limit=50`),
  ]);
  drawCharts(balance.items);
  drawFeed(insights.items);
  document.getElementById("athlete").dataset.loaded = athleteId; // lets tests (and people) see the switch is done
  history.replaceState(null, "", "#athlete=" + encodeURIComponent(athleteId)); // a link a coach can share (no token in it)
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
    const labels = sessions.map((s) => s.sessionDate);
    // Signed: above zero the right side is behind, below zero the left.
    const signed = sessions.map((s) => s.weakerSide === "LEFT" ? -s.asymmetryPct : s.asymmetryPct);
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
          volume: { position: "left", beginAtZero: true, title: { display: true, text: sessions[0].loaded ? "reps x kg" : "reps" } },
          pct: { position: "right", suggestedMin: -25, suggestedMax: 25, grid: { drawOnChartArea: false },
            title: { display: true, text: "% (+ right weaker, - left weaker)" } },
        },
      },
      plugins: [bands],
    }));
    return element("div", { class: "chart" }, element("h4", {}, exercise.replaceAll("_", " ")), element("div", { style: "height:16rem" }, canvas));
  }));
}

function drawFeed(items) {
  const feed = document.getElementById("feed");
  if (items.length === 0) { feed.replaceChildren(element("li", {}, "Nothing to flag.")); return; }
  feed.replaceChildren(...items.map((i) => element("li", { class: `insight ${i.severity}`, "data-rule": i.rule },
    element("strong", {}, `${RULE_NAMES[i.rule] || i.rule} · ${i.severity.toLowerCase()}`),
    element("div", { class: "when" }, new Date(i.detectedAt).toLocaleString() + (i.exercise ? " · " + i.exercise.replaceAll("_", " ") : "")),
    element("p", {}, i.message),
    element("p", { class: "advice" }, i.advice))));
}

function start() {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromLink) {
    sessionStorage.setItem("thrustline-token", fromLink);
    const athlete = new URLSearchParams(location.hash.slice(1)).get("athlete");
    history.replaceState(null, "", location.pathname + (athlete ? "#athlete=" + encodeURIComponent(athlete) : ""));
  }
  const login = document.getElementById("login");
  const logout = document.getElementById("logout");
  login.addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem("thrustline-token", document.getElementById("token").value);
    start();
  });
  logout.addEventListener("click", () => { sessionStorage.removeItem("thrustline-token"); location.reload(); });
  if (!token()) { login.hidden = false; status("Enter your access token."); return; }
  login.hidden = true;
  logout.hidden = false;
  showAthletes().catch((e) => status("Could not load: " + e.message));
}

start();
