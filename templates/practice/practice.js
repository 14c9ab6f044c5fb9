// mlsd practice page: the timer, the self-check score, the reveals. No network, no storage.
(() => {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const all = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const pub = JSON.parse($("public").textContent);
  const titles = all(".step h3").map((h) => h.firstChild.textContent.trim());
  let secret = null;

  // The names and answers are XOR-ed and base64-encoded in the page; decoded on the first reveal.
  function secrets() {
    if (secret === null) {
      const carrier = $("payload");
      const hex = carrier.dataset.key;
      const key = new Uint8Array(hex.length / 2).map((_, i) => parseInt(hex.substr(2 * i, 2), 16));
      const text = atob(carrier.textContent.trim());
      const bytes = new Uint8Array(text.length).map((_, i) => text.charCodeAt(i) ^ key[i % key.length]);
      secret = JSON.parse(new TextDecoder().decode(bytes));
    }
    return secret;
  }

  const fmt = (seconds) => {
    const s = Math.max(0, Math.floor(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  const announce = (text) => { $("announce").textContent = text; };

  // ------------------------------------------------------------ the diagram
  const keyOf = (group) => Array.from(group.classList).find((c) => /^n\d+$/.test(c));
  const numberOf = (group) => group.querySelector(".ph").textContent.replace("#", "");

  function showName(key) {
    const lines = secrets().names[key] || [];
    for (const group of all(`g.part.${key}`)) {
      if (group.classList.contains("revealed")) continue;
      const mark = group.querySelector(".ph");
      for (const line of lines) {
        const text = document.createElementNS(SVG, "text");
        for (const [name, value] of Object.entries(line)) if (name !== "text") text.setAttribute(name, value);
        text.setAttribute("class", "real");
        text.textContent = line.text;
        mark.parentNode.appendChild(text);
      }
      mark.style.display = "none";
      group.classList.add("revealed");
      group.setAttribute("aria-label", `Component ${numberOf(group)}: ${lines.map((l) => l.text).join(" ")}`);
    }
    counted();
  }

  function hideName(group) {
    for (const text of all(".real", group)) text.remove();
    group.querySelector(".ph").style.display = "";
    group.classList.remove("revealed");
    group.setAttribute("aria-label", `Hidden component ${numberOf(group)}: reveal its name`);
  }

  function counted() {
    const shown = new Set(all(".pic.light g.part.revealed").map(keyOf));
    $("revealed").textContent = `${shown.size} of ${all(".pic.light g.part").length} named`;
  }

  function revealAll() {
    for (const group of all(".pic.light g.part")) showName(keyOf(group));
    const masked = secrets().masked;
    for (const text of all("text.masked")) {
      const key = Array.from(text.classList).find((c) => /^t\d+$/.test(c));
      text.textContent = masked[key] || "";
    }
    announce("All names revealed");
  }

  function hideAll() {
    for (const group of all("g.part.revealed")) hideName(group);
    for (const text of all("text.masked")) text.textContent = "…";
    $("stage-title").textContent = "";
    counted();
    announce("Names hidden");
  }

  for (const group of all("g.part")) {
    group.addEventListener("click", () => showName(keyOf(group)));
    group.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation();
        showName(keyOf(group));
      }
    });
  }
  $("reveal-all").addEventListener("click", revealAll);
  $("hide-all").addEventListener("click", hideAll);

  let stage = pub.stages.length - 1;
  function showStage() {
    const now = pub.stages[stage];
    const visible = new Set([...now.nodes, ...now.edges, ...now.groups]);
    for (const group of all(".pic g.part, .pic g.edge, .pic g.cluster")) {
      const key = Array.from(group.classList).find((c) => /^[neg]\d+$/.test(c));
      group.classList.toggle("off", key !== undefined && !visible.has(key));
      if (group.classList.contains("part")) group.setAttribute("tabindex", visible.has(key) ? "0" : "-1");
    }
    $("stage").textContent = `Stage ${stage + 1} of ${pub.stages.length}`;
    $("stage-title").textContent = "";
  }
  const moveStage = (by) => {
    stage = Math.min(pub.stages.length - 1, Math.max(0, stage + by));
    showStage();
  };
  $("stage-prev").addEventListener("click", () => moveStage(-1));
  $("stage-next").addEventListener("click", () => moveStage(1));
  $("stage-name").addEventListener("click", () => { $("stage-title").textContent = secrets().stages[stage]; });
  const setLevel = (value) => {
    document.body.classList.toggle("skeleton", value === "skeleton");
    for (const radio of all('input[name="level"]')) radio.checked = radio.value === value;
  };
  for (const radio of all('input[name="level"]')) radio.addEventListener("change", () => setLevel(radio.value));

  // ------------------------------------------------------------ answers and points
  function fill(box, answers, missing, why) {
    box.replaceChildren();
    for (const answer of answers) {
      const name = document.createElement("p");
      name.className = "label";
      name.textContent = answer.label;
      const list = document.createElement("ul");
      for (const item of answer.items) {
        const entry = document.createElement("li");
        entry.textContent = item;
        list.appendChild(entry);
      }
      box.append(name, list);
    }
    for (const gap of missing || []) {
      const note = document.createElement("p");
      note.className = "missing";
      note.textContent = `Not in the spec (${gap.label}): ${gap.question}`;
      box.appendChild(note);
    }
    if (why) {
      const note = document.createElement("p");
      note.className = "missing";
      note.textContent = `Why it matters: ${why}`;
      box.appendChild(note);
    }
  }

  function toggle(button, box, shownText, hiddenText, filler) {
    const open = button.getAttribute("aria-expanded") === "true";
    if (open) box.replaceChildren();
    else filler();
    button.setAttribute("aria-expanded", String(!open));
    button.textContent = open ? hiddenText : shownText;
  }

  for (const button of all(".reveal-card")) {
    const box = $(`answer-${button.dataset.card}`);
    button.addEventListener("click", () =>
      toggle(button, box, "Hide the answer", "Show the spec's answer", () => {
        const card = secrets().cards[button.dataset.card];
        fill(box, card.answers, card.missing, card.why);
      }),
    );
  }
  for (const button of all(".reveal-points")) {
    const box = $(`points-${button.dataset.step}`);
    button.addEventListener("click", () =>
      toggle(button, box, "Hide the points", "Show the points to say", () => {
        const points = secrets().points[button.dataset.step];
        fill(box, points, points.length ? [] : [{ label: "points", question: "The spec says nothing for this step." }], null);
      }),
    );
  }

  // ------------------------------------------------------------ self-check
  function score() {
    const boxes = all("input.check");
    const done = boxes.filter((b) => b.checked).length;
    const pct = boxes.length ? Math.round((100 * done) / boxes.length) : 0;
    $("score").textContent = `${done} / ${boxes.length} (${pct}%)`;
    for (const step of all(".step")) {
      const mine = all("input.check", step);
      step.querySelector(".step-score").textContent = `${mine.filter((b) => b.checked).length} / ${mine.length}`;
    }
  }
  for (const box of all("input.check")) box.addEventListener("change", score);
  score();

  // ------------------------------------------------------------ the timer
  let spent = 0;
  let since = null;
  let current = -1;
  const elapsed = () => spent + (since === null ? 0 : (Date.now() - since) / 1000);

  function tick() {
    const seconds = Math.min(elapsed(), pub.total);
    $("clock").textContent = fmt(seconds);
    $("progress").style.width = `${(100 * seconds) / pub.total}%`;
    let index = pub.steps.findIndex((s) => seconds < s.start + s.seconds);
    if (elapsed() >= pub.total) index = pub.steps.length;
    const steps = all(".step");
    steps.forEach((step, i) => {
      step.classList.toggle("current", i === index);
      step.classList.toggle("done", i < index);
    });
    if (index >= pub.steps.length) {
      $("now").textContent = "Time is up: wrap up in one sentence.";
    } else {
      const slot = pub.steps[index];
      const lead = since === null && seconds === 0 ? "Start with" : "Now";
      $("now").textContent = `${lead}: ${titles[index]} (${fmt(Math.ceil(slot.start + slot.seconds - seconds))} left in this step)`;
    }
    if (index !== current) {
      if (current !== -1 && index < pub.steps.length) announce(`Time for: ${titles[index]}`);
      current = index;
    }
  }

  function startPause() {
    if (since === null) {
      since = Date.now();
      $("start").textContent = "Pause";
    } else {
      spent = elapsed();
      since = null;
      $("start").textContent = "Resume";
    }
    tick();
  }
  function reset() {
    spent = 0;
    since = null;
    $("start").textContent = "Start";
    tick();
  }
  $("start").addEventListener("click", startPause);
  $("reset").addEventListener("click", reset);
  setInterval(tick, 250);

  // ------------------------------------------------------------ theme and keys
  const dark = () =>
    document.documentElement.dataset.theme === "dark" ||
    (document.documentElement.dataset.theme !== "light" && matchMedia("(prefers-color-scheme: dark)").matches);
  const themeLabel = () => { $("theme").textContent = dark() ? "Light" : "Dark"; };
  $("theme").addEventListener("click", () => {
    document.documentElement.dataset.theme = dark() ? "light" : "dark";
    themeLabel();
  });
  const showKeys = () => {
    const box = $("keys");
    box.hidden = !box.hidden;
    $("keys-button").setAttribute("aria-expanded", String(!box.hidden));
  };
  $("keys-button").addEventListener("click", showKeys);

  function moveCard(by) {
    const cards = all(".card");
    if (!cards.length) return;
    const at = cards.indexOf(document.activeElement.closest ? document.activeElement.closest(".card") : null);
    const next = cards[at === -1 ? (by > 0 ? 0 : cards.length - 1) : (at + by + cards.length) % cards.length];
    next.focus();
    next.scrollIntoView({ block: "center" });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const card = event.target.classList && event.target.classList.contains("card") ? event.target : null;
    if (card && event.key === "Enter") {
      const button = card.querySelector(".reveal-card");
      if (button) button.click();
      return;
    }
    const actions = {
      t: startPause, r: reset, n: () => moveStage(1), p: () => moveStage(-1), a: revealAll, h: hideAll,
      s: () => setLevel(document.body.classList.contains("skeleton") ? "icons" : "skeleton"),
      j: () => moveCard(1), k: () => moveCard(-1), d: () => $("theme").click(), "?": showKeys,
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  themeLabel();
  showStage();
  tick();
})();
