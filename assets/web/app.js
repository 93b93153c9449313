// vtsdraft questionnaire: turns the generated form into case JSON and back, asks the server to
// check it after each change, and shows the answers' problems beside their fields.
// Plain script, no framework, no inline code (the page's CSP forbids it). Case data is only
// ever put into the page with textContent, never as HTML.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  // The access token arrives in the address's fragment (never sent to a server), is kept for this
  // tab only (sessionStorage is scoped to this origin and port), and leaves the address bar and
  // its history entry at once. It goes with every request in a header, never in a cookie.
  const TOKEN_KEY = "vtsdraft-token";
  const given = /(?:^#|&)token=([0-9a-f]+)/.exec(location.hash);
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given[1]);
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) || "";
  const root = document.getElementById("case");
  const statusLine = document.getElementById("status");
  const nameInput = document.getElementById("file-name");
  const summary = document.getElementById("summary");
  const panel = document.getElementById("panel-body");

  // Each case in the form autosaves to a draft of its own, so starting or opening another case
  // never writes over the last one's unsaved changes.
  function newDraftId() {
    return "untitled-" + Array.from(crypto.getRandomValues(new Uint8Array(6)), b => b.toString(16).padStart(2, "0")).join("");
  }

  const state = {
    sha: null, // hash of the file as opened; lets Save replace that file and no other
    draft: newDraftId(),
    touched: new Set(), // field paths the user has changed: their problems show at once
    showAll: false, // after "Check all" or a failed save/download, every problem shows
    dirty: false,
    itemCounter: 0,
    reply: null,
  };

  // ---- reading and writing the form ---------------------------------------------------------

  // The elements with a data-key that belong directly to container (not to a nested one).
  function children(container) {
    return Array.from(container.querySelectorAll("[data-key]")).filter(
      el => el.parentElement.closest('[data-kind="table"],[data-kind="item"],[data-kind="root"],[data-kind="list"]') === container
    );
  }

  function leafValue(el) {
    const kind = el.dataset.kind;
    const dflt = el.dataset.default || "";
    switch (kind) {
      case "str": {
        const v = el.value.trim();
        return v === "" ? undefined : v;
      }
      case "date": case "pdate": {
        // A date that cannot be read goes to the server as typed, so the case stays unbuildable;
        // the page shows its own message for it (dateProblems).
        const v = el.value.trim();
        if (v === "") return undefined;
        const parsed = parseDate(v, kind === "pdate");
        return parsed.error ? v : parsed.iso;
      }
      case "evref":
        return el.value === "" ? undefined : el.value;
      case "int": {
        const v = el.value.trim();
        if (v === "") return undefined;
        return /^\d+$/.test(v) ? Number(v) : v; // the server says what is wrong with "abc"
      }
      case "bool": {
        const v = el.checked;
        return String(v) === (dflt || "false") ? undefined : v;
      }
      case "tribool":
        return el.value === "" ? undefined : el.value === "true";
      case "enum": {
        const v = el.tagName === "SELECT" ? el.value : (el.querySelector("input:checked") || {}).value || "";
        return v === "" || v === dflt ? undefined : v;
      }
      case "enumlist": {
        const v = Array.from(el.querySelectorAll("input:checked"), i => i.value);
        return v.length ? v : undefined;
      }
      case "lines": {
        const v = el.value.split("\n").map(s => s.trim()).filter(Boolean);
        return v.length ? v : undefined;
      }
    }
    return undefined;
  }

  // Builds the case object, and records on each element the field path the server uses in
  // its messages (`health.treatments[1].start`), so a message finds its field.
  function read(container, path) {
    const kind = container.dataset.kind;
    if (kind === "list") {
      const items = Array.from(container.querySelector(".items").children);
      const out = items.map((item, i) => {
        const p = `${path}[${i}]`;
        item.dataset.fpath = p;
        return read(item, p) || {};
      });
      container.dataset.fpath = path;
      return out.length ? out : undefined;
    }
    if (kind === "table" || kind === "item" || kind === "root") {
      const out = {};
      for (const el of children(container)) {
        const p = path ? `${path}.${el.dataset.key}` : el.dataset.key;
        el.dataset.fpath = p;
        const v = ["table", "list"].includes(el.dataset.kind) ? read(el, p) : leafValue(el);
        if (v !== undefined) out[el.dataset.key] = v;
      }
      if (kind !== "root") container.dataset.fpath = path;
      return Object.keys(out).length || kind === "item" ? out : undefined;
    }
    return leafValue(container);
  }

  function caseJson() {
    return read(root, "") || {};
  }

  function setLeaf(el, value) {
    const kind = el.dataset.kind;
    switch (kind) {
      case "bool": el.checked = value === true; break;
      case "tribool": el.value = value === true ? "true" : value === false ? "false" : ""; break;
      case "enum":
        if (el.tagName === "SELECT") el.value = value;
        else el.querySelectorAll("input").forEach(i => { i.checked = i.value === value; });
        break;
      case "enumlist":
        el.querySelectorAll("input").forEach(i => { i.checked = Array.isArray(value) && value.includes(i.value); });
        break;
      case "lines": el.value = Array.isArray(value) ? value.join("\n") : String(value); break;
      case "date": case "pdate": el.value = typedDate(String(value)); readBack(el); break;
      case "evref": el.dataset.value = String(value); break; // chosen once the list is in (evidenceChoices)
      default: el.value = typeof value === "object" ? JSON.stringify(value) : String(value);
    }
  }

  function resetLeaf(el) {
    const dflt = el.dataset.default || "";
    switch (el.dataset.kind) {
      case "bool": el.checked = dflt === "true"; break;
      case "enum":
        if (el.tagName === "SELECT") el.value = dflt;
        else el.querySelectorAll("input").forEach(i => { i.checked = i.value === dflt; });
        break;
      case "enumlist": el.querySelectorAll("input").forEach(i => { i.checked = false; }); break;
      case "int": el.value = dflt; break;
      case "date": case "pdate": el.value = ""; readBack(el); break;
      case "evref": el.dataset.value = ""; el.value = ""; break;
      default: el.value = "";
    }
  }

  // Puts a case into the form; returns the answers the form has no place for.
  function fill(container, obj, path, unknown) {
    const byKey = new Map(children(container).map(el => [el.dataset.key, el]));
    for (const el of byKey.values()) {
      if (el.dataset.kind === "table") fill(el, {}, "", []);
      else if (el.dataset.kind === "list") el.querySelector(".items").replaceChildren();
      else resetLeaf(el);
    }
    for (const [key, value] of Object.entries(obj || {})) {
      const el = byKey.get(key);
      const p = path ? `${path}.${key}` : key;
      if (!el) { unknown.push(p); continue; }
      if (el.dataset.kind === "table") fill(el, value, p, unknown);
      else if (el.dataset.kind === "list") {
        (Array.isArray(value) ? value : []).forEach((v, i) => fill(addItem(el), v, `${p}[${i}]`, unknown));
      } else setLeaf(el, value);
    }
    return unknown;
  }

  function addItem(list) {
    const n = ++state.itemCounter;
    const html = list.querySelector(":scope > template").innerHTML.replaceAll("__i__", "i" + n);
    const tpl = document.createElement("template");
    tpl.innerHTML = html; // the server's own template: no case data in it
    const item = tpl.content.firstElementChild;
    list.querySelector(".items").appendChild(item);
    renumber(list);
    return item;
  }

  function renumber(list) {
    Array.from(list.querySelector(".items").children).forEach((item, i) => {
      item.querySelector(".n").textContent = String(i + 1);
    });
  }

  // ---- dates --------------------------------------------------------------------------------

  // Dates are typed day first whatever the browser's language, parsed here, and stored as ISO
  // (`2026-03-01`); the date in words beside the box shows how it was read.
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const FULL_FORMAT = "Write the date as day/month/year, e.g. 27/03/2024.";
  const PARTIAL_FORMAT = "Write the date as day/month/year (27/03/2024), or month/year (03/2024) or the year (2024) if that is all that is known.";

  // `{iso, words}` for what was typed, or `{error}` with a message for the field. `partial`: the
  // model accepts a month and year, or a year alone, for this date.
  function parseDate(text, partial) {
    const t = text.trim();
    let m;
    let day, month, year;
    if ((m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(t))) {
      // ISO, as case files write it: unambiguous, so taken as it is.
      [year, month, day] = [m[1], m[2], m[3]];
    } else if ((m = /^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d+)$/.exec(t)) || (m = /^(\d{1,2})\s+(\d{1,2})\s+(\d+)$/.exec(t))) {
      [day, month, year] = [m[1], m[2], m[3]];
    } else if ((m = /^(\d{1,2})\s*[/.\-\s]\s*(\d+)$/.exec(t))) {
      [month, year] = [m[1], m[2]];
    } else {
      return { error: partial ? PARTIAL_FORMAT : FULL_FORMAT };
    }
    if (year.length !== 4) return { error: `Write the year in full, with four digits (2024, not 24).` };
    const y = Number(year);
    if (y < 1900 || y > 2100) return { error: `Use a year between 1900 and 2100 (this says ${year}).` };
    if (!partial && day === undefined) return { error: "This question needs the full date. " + FULL_FORMAT };
    let mo;
    if (month !== undefined) {
      mo = Number(month);
      if (mo < 1 || mo > 12) return { error: `There is no month ${mo}: months go from 1 to 12, and the day comes first (day/month/year).` };
    }
    let d;
    if (day !== undefined) {
      d = Number(day);
      const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
      if (d < 1 || d > days) return { error: `There is no day ${d} in ${MONTHS[mo - 1]} ${y}: it has ${days} days.` };
    }
    const two = n => String(n).padStart(2, "0");
    const iso = year + (mo ? "-" + two(mo) : "") + (d ? "-" + two(d) : "");
    const words = (d ? d + " " : "") + (mo ? MONTHS[mo - 1] + " " : "") + year;
    return { iso, words };
  }

  // A stored ISO date as it is typed (`2026-03-01` → `01/03/2026`); anything else as it is.
  function typedDate(value) {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
    if (!m) return value;
    return [m[3], m[2], m[1]].filter(Boolean).join("/");
  }

  // Shows the date in words beside its box (empty while it cannot be read).
  function readBack(el) {
    const words = document.getElementById(el.id + "-words");
    if (!words) return;
    const v = el.value.trim();
    const parsed = v === "" ? { words: "" } : parseDate(v, el.dataset.kind === "pdate");
    const text = parsed.error ? "" : parsed.words;
    if (words.textContent !== text) words.textContent = text;
  }

  // The page's own messages for dates it cannot read; they replace the server's, which would
  // speak of ISO dates nobody typed.
  function dateProblems() {
    const out = [];
    root.querySelectorAll('[data-kind="date"], [data-kind="pdate"]').forEach(el => {
      const v = el.value.trim();
      if (v === "" || !el.dataset.fpath) return;
      const parsed = parseDate(v, el.dataset.kind === "pdate");
      if (parsed.error) out.push({ severity: "error", code: "bad-date", message: parsed.error, field: el.dataset.fpath, hints: [] });
    });
    return out;
  }

  // ---- evidence references ------------------------------------------------------------------

  const STATUS_WORDS = { enclosed: "Enclosed", requested: "Requested", awaited: "Awaited", unobtainable: "Cannot be obtained" };

  // Each question that names a document offers the case's own evidence list as it stands:
  // enclosed documents by tab, numbered in the order listed as the letter numbers them
  // (`derive::evidence::tabs`), the others by status. A reference to an id that is not in the
  // list stays chosen and marked, so nothing is lost and the server's message says what is wrong.
  function evidenceChoices() {
    const choices = [];
    const seen = new Set();
    let tab = 0;
    (caseJson().evidence || []).forEach(e => {
      const enclosed = e.status === "enclosed";
      if (enclosed) tab += 1;
      const id = typeof e.id === "string" ? e.id : "";
      if (!id || seen.has(id)) return;
      seen.add(id);
      const what = typeof e.description === "string" && e.description ? e.description : "(no description yet)";
      const where = enclosed ? `Tab ${tab}` : STATUS_WORDS[e.status] || "Status not chosen";
      choices.push([id, `${where}: ${what} (${id})`]);
    });
    root.querySelectorAll('[data-kind="evref"]').forEach(select => {
      const want = select.dataset.value || "";
      const options = [["", choices.length ? "None chosen" : "None chosen (the evidence list is empty)"], ...choices];
      if (want && !seen.has(want)) options.push([want, `${want} (not in the evidence list)`]);
      const signature = JSON.stringify(options);
      if (select.dataset.signature !== signature) {
        select.replaceChildren(...options.map(([value, text]) => {
          const option = document.createElement("option");
          option.value = value;
          option.textContent = text;
          return option;
        }));
        select.dataset.signature = signature;
      }
      select.value = want;
    });
  }

  // ---- talking to the server ----------------------------------------------------------------

  // `keepalive`: the request outlives the page (the last draft as the tab closes or reloads).
  async function call(url, body, keepalive = false) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "X-Vtsdraft-Token": token },
      body: JSON.stringify(body),
      credentials: "omit",
      keepalive,
    });
    return response;
  }

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = kind || "";
  }

  let checkTimer = null;
  let draftTimer = null;
  let checkSeq = 0;

  // `touch`: the user answered this question, so its problems may show at once (adding an
  // empty item is not an answer: its questions would all be errors straight away).
  function changed(target, touch = true) {
    state.dirty = true;
    const leaf = target.closest("[data-key]");
    read(root, ""); // refresh field paths (items may have moved)
    evidenceChoices();
    if (touch && leaf && leaf.dataset.fpath) state.touched.add(leaf.dataset.fpath);
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 350);
    clearTimeout(draftTimer);
    draftTimer = setTimeout(saveDraft, 3000);
  }

  async function check() {
    evidenceChoices(); // a case just opened or restored
    const seq = ++checkSeq;
    const body = { case: caseJson() };
    const local = dateProblems();
    let reply;
    try {
      const response = await call("/api/check", body);
      if (!response.ok) return say(await errorText(response), "error");
      reply = await response.json();
    } catch (e) {
      return say("vtsdraft is not answering. Is it still running in the terminal?", "error");
    }
    if (seq !== checkSeq) return; // a newer check is on its way
    const mine = new Set(local.map(p => p.field));
    reply.problems = local.concat(reply.problems.filter(p => !mine.has(p.field)));
    state.reply = reply;
    applyRelevance(reply.relevance);
    showProblems(reply.problems);
    showPanel(reply);
    return reply;
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      return body.error || response.statusText;
    } catch (e) {
      return response.status === 401 || response.status === 403
        ? "Access refused: open the address vtsdraft printed when it started."
        : response.statusText;
    }
  }

  // The draft goes to the cases folder's `.drafts/` (never to the browser's storage, which
  // would keep client data outside the folder's permissions and its 30-day clean-up); this tab
  // remembers only the draft's id, to offer it back after a reload.
  async function saveDraft(leaving = false) {
    if (!state.dirty) return;
    clearTimeout(draftTimer);
    sessionStorage.setItem(DRAFT_KEY, state.draft);
    try {
      const body = { draft: state.draft, case: caseJson(), name: nameInput.value.trim() || null, sha: state.sha };
      const response = await call("/api/draft", body, leaving);
      if (response.ok && !leaving) say("Draft kept " + new Date().toLocaleTimeString("en-GB"));
    } catch (e) { /* the next change tries again */ }
  }

  // ---- unsaved changes offered back ---------------------------------------------------------

  const DRAFT_KEY = "vtsdraft-draft";
  const restoreBox = document.getElementById("restore");
  let offered = null; // the draft on offer: its list entry

  function when(seconds) {
    return new Date(seconds * 1000).toLocaleString("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  // On opening the page: this tab's own draft if it is still there (a reload), else the newest
  // (the browser was closed). Saving a case or discarding removes its draft, so a draft still
  // there holds work not saved anywhere else.
  async function offerDraft() {
    let cases;
    try {
      const response = await fetch("/api/cases", { headers: { "X-Vtsdraft-Token": token }, credentials: "omit" });
      if (!response.ok) { restoreBox.dataset.offer = "none"; return; }
      cases = (await response.json()).cases;
    } catch (e) { restoreBox.dataset.offer = "none"; return; }
    const drafts = cases.filter(c => c.draft);
    restoreBox.dataset.offer = drafts.length ? "shown" : "none";
    if (!drafts.length) return;
    const mine = sessionStorage.getItem(DRAFT_KEY);
    offered = drafts.find(d => d.name === mine + ".toml") || drafts[0];
    const text = document.getElementById("restore-text");
    text.textContent = `Restore unsaved changes from ${when(offered.modified)}?`;
    const others = drafts.length - 1;
    document.getElementById("restore-more").textContent = others
      ? `${others} other draft${others === 1 ? " is" : "s are"} under “Open…”.`
      : "";
    restoreBox.hidden = false;
    say("There are unsaved changes from an earlier visit: restore or discard them (at the top of the page).");
  }

  function closeOffer(message, kind) {
    offered = null;
    restoreBox.hidden = true;
    say(message, kind);
    const first = root.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  async function restoreDraft() {
    if (!offered) return;
    if (state.dirty && !window.confirm("This case has unsaved changes (a draft is kept). Replace them with the earlier ones?")) return;
    const response = await call("/api/open", { name: offered.name, draft: true });
    if (!response.ok) { say(await errorText(response), "error"); return; }
    const body = await response.json();
    const unknown = fill(root, body.case, "", []);
    const origin = body.draftOf || {};
    state.draft = offered.name.replace(/\.toml$/, "");
    sessionStorage.setItem(DRAFT_KEY, state.draft);
    state.sha = origin.sha || null;
    nameInput.value = origin.name || "";
    state.touched = new Set();
    state.showAll = false;
    state.dirty = true; // restored, still not saved
    let note = `Restored the unsaved changes from ${when(offered.modified)}. Save to keep them in a case file.`;
    if (unknown.length) note += ` These answers are not questions of this form and will be dropped on saving: ${unknown.join(", ")}.`;
    closeOffer(note, unknown.length ? "error" : "ok");
    await check();
  }

  async function discardDraft() {
    if (!offered) return;
    const response = await call("/api/draft/discard", { draft: offered.name.replace(/\.toml$/, "") });
    if (!response.ok) { say(await errorText(response), "error"); return; }
    closeOffer("The unsaved changes were discarded.");
  }

  // ---- relevance ----------------------------------------------------------------------------

  function hasAnswer(wrapper) {
    const holder = wrapper.matches("[data-key]") ? wrapper : wrapper.querySelector("[data-key]");
    if (!holder) return false;
    if (holder.querySelector(".items > *")) return true;
    const leaves = [holder, ...holder.querySelectorAll("[data-key]")].filter(e => !["table", "list"].includes(e.dataset.kind));
    return leaves.some(e => leafValue(e) !== undefined);
  }

  function applyRelevance(relevance) {
    const hidden = new Set(relevance.hidden);
    const why = new Map(relevance.shown);
    root.querySelectorAll("[data-path]").forEach(wrapper => {
      const path = wrapper.dataset.path;
      if (!hidden.has(path) && !why.has(path)) return;
      // An answer already given is never hidden, whatever the rules say.
      const hide = hidden.has(path) && !hasAnswer(wrapper);
      wrapper.classList.toggle("is-hidden", hide);
      let note = wrapper.querySelector(":scope > .why-shown");
      if (why.has(path)) {
        if (!note) {
          note = document.createElement("p");
          note.className = "why-shown";
          const after = wrapper.querySelector(":scope > label, :scope > legend");
          after.insertAdjacentElement("afterend", note);
        }
        note.textContent = "Now " + why.get(path) + ".";
      } else if (note) note.remove();
    });
  }

  // ---- problems beside their fields ---------------------------------------------------------

  // `code` spans in messages become <code> elements; everything is text.
  function rich(parent, text) {
    String(text).split("`").forEach((part, i) => {
      if (i % 2) { const c = document.createElement("code"); c.textContent = part; parent.appendChild(c); }
      else parent.appendChild(document.createTextNode(part));
    });
  }

  // Beside its field, a message need not name the field again.
  function bare(problem) {
    // The help text is on screen already; the validator's hints repeat it.
    if (problem.code === "missing-field" && problem.field) return "An answer is needed here.";
    const prefix = "`" + problem.field + "`: ";
    return problem.field && problem.message.startsWith(prefix) ? problem.message.slice(prefix.length) : problem.message;
  }

  // What the page calls the question at a field path: its label, and the part it is in.
  function question(el, path) {
    if (!el) return path;
    const box = el.matches("fieldset") ? el : el.closest(".field, fieldset");
    const own = box && box.querySelector(":scope > label, :scope > legend");
    // The nearest enclosing part: "Conclusive grounds decision", not just "NRM".
    const part = (box || el).parentElement.closest("fieldset.table, fieldset.list, li.item, section.group");
    const heading = part && part.querySelector(":scope > legend, :scope > h2, :scope > .item-box > legend");
    const partName = heading ? heading.firstChild.textContent.trim() + (part.matches("li.item") ? " " + heading.querySelector(".n").textContent : "") : "";
    const name = own ? own.firstChild.textContent.trim() : path;
    return partName && partName !== name ? `${partName} › ${name}` : name;
  }

  // The element for a field path, walking up to the nearest shown container.
  function target(path) {
    let p = path || "";
    while (p) {
      const el = root.querySelector(`[data-fpath="${CSS.escape(p)}"]`);
      if (el && !el.closest(".is-hidden")) return el;
      const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
      p = cut > 0 ? p.slice(0, cut) : "";
    }
    return null;
  }

  function relevant(problem) {
    if (state.showAll || !problem.field) return true;
    for (const t of state.touched) {
      if (problem.field === t || problem.field.startsWith(t + ".") || problem.field.startsWith(t + "[") || t.startsWith(problem.field + ".")) return true;
    }
    return false;
  }

  function showProblems(problems) {
    root.querySelectorAll(".error").forEach(e => e.remove());
    root.querySelectorAll("[aria-invalid]").forEach(e => {
      e.removeAttribute("aria-invalid");
      e.setAttribute("aria-describedby", e.getAttribute("aria-describedby").split(" ").filter(id => !id.endsWith("-err")).join(" "));
    });
    const errors = problems.filter(p => p.severity === "error");
    const shown = [];
    errors.filter(relevant).forEach((problem, n) => {
      const el = target(problem.field);
      const p = document.createElement("p");
      p.className = "error";
      p.id = `problem-${n}-err`;
      rich(p, bare(problem));
      (problem.code === "missing-field" ? [] : problem.hints || []).forEach(h => { const s = document.createElement("span"); s.className = "hint"; rich(s, h); p.appendChild(s); });
      if (el) {
        const box = el.matches("fieldset, [data-kind=item]") ? el : (el.closest(".field") || el);
        const anchor = box.querySelector(":scope > legend, :scope > label, :scope > .item-box > legend") || box.firstElementChild;
        const help = anchor && anchor.nextElementSibling && anchor.nextElementSibling.classList.contains("help") ? anchor.nextElementSibling : anchor;
        (help || box).insertAdjacentElement("afterend", p);
        if (el.matches("[data-key]") && !["table", "list"].includes(el.dataset.kind)) {
          el.setAttribute("aria-invalid", "true");
          el.setAttribute("aria-describedby", (el.getAttribute("aria-describedby") || "") + " " + p.id);
        }
      }
      shown.push({ problem, el, id: p.id });
    });
    renderSummary(errors, shown);
  }

  function renderSummary(errors, shown) {
    if (!state.showAll) { summary.hidden = true; return; }
    summary.replaceChildren();
    summary.hidden = false;
    summary.classList.toggle("clear", errors.length === 0);
    const h = document.createElement("h2");
    h.textContent = errors.length === 0 ? "No problems: the letter can be built." : `${errors.length} answer${errors.length === 1 ? "" : "s"} to fix before the letter can be built`;
    summary.appendChild(h);
    const ul = document.createElement("ul");
    shown.forEach(({ problem, el }) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      const focusable = el && (el.matches("input,select,textarea") ? el : el.querySelector("input,select,textarea,button"));
      a.href = "#" + (focusable && focusable.id ? focusable.id : (el && el.id) || "case");
      rich(a, bare(problem));
      if (problem.field) { li.appendChild(document.createTextNode(question(el, problem.field) + ": ")); }
      li.appendChild(a);
      ul.appendChild(li);
    });
    summary.appendChild(ul);
  }

  // ---- the side panel -----------------------------------------------------------------------

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) rich(e, text);
    if (cls) e.className = cls;
    return e;
  }

  function showPanel(reply) {
    const out = [];
    const errors = reply.problems.filter(p => p.severity === "error");
    if (!reply.explain) {
      out.push(el("p", errors.length
        ? `${errors.length} answer${errors.length === 1 ? " is" : "s are"} still missing or wrong. Once they are in, the ages, grounds and clauses appear here.`
        : "Checking…"));
      const ul = el("ul");
      errors.slice(0, 8).forEach(p => ul.appendChild(el("li", (p.field ? question(target(p.field), p.field) + ": " : "") + bare(p))));
      if (errors.length > 8) ul.appendChild(el("li", `and ${errors.length - 8} more (press “Check all answers”)`));
      out.push(ul);
      panel.replaceChildren(...out);
      return;
    }
    const x = reply.explain;
    const d = x.derived || {};
    out.push(el("p", "The case is complete enough to build the letter.", "ok"));

    out.push(el("h3", "Ages"));
    const table = el("table");
    const head = el("tr");
    ["At", "Date", "Age (claimed date of birth)", "Age (accepted)"].forEach(t => head.appendChild(el("th", t)));
    table.appendChild(head);
    (x.ages || []).forEach(a => {
      const tr = el("tr");
      [a.event, a.date, a.claimed, a.accepted || "—"].forEach(t => tr.appendChild(el("td", t || "—")));
      table.appendChild(tr);
    });
    out.push(table);

    out.push(el("h3", "Status"));
    const facts = el("ul");
    const yes = (label, v) => { const li = el("li", label + ": "); li.appendChild(el("span", v ? "yes" : "no", "badge " + (v ? "yes" : "no"))); facts.appendChild(li); };
    yes("Child at any key date", d.child_at_any_key_date);
    if (d.age && d.age.cg && d.age.cg.child_undecided) {
      // The decision is dated only to a month or year in which the client turned 18.
      const li = el("li", "Child at the conclusive grounds decision: ");
      li.appendChild(el("span", "not decided: the day is needed", "badge no"));
      facts.appendChild(li);
    } else {
      yes("Child at the conclusive grounds decision", d.child_at_cg);
    }
    yes("Child now", d.child_at_letter);
    yes("Age disputed", d.age_disputed);
    yes("Asylum claim pending", d.asylum_pending);
    if (typeof d.delay_referral_to_cg_days === "number") facts.appendChild(el("li", `Referral to conclusive grounds decision: ${d.delay_referral_to_cg_days} days`));
    if (d.duration) facts.appendChild(el("li", `Leave to request: ${d.duration.months} months (${d.duration.reason})`));
    out.push(facts);

    out.push(el("h3", "Grounds available"));
    const grounds = el("ul");
    Object.entries(d.grounds || {}).forEach(([k, v]) => {
      const li = el("li", k.replaceAll("_", " ") + ": ");
      li.appendChild(el("span", v ? "available" : "not available", "badge " + (v ? "yes" : "no")));
      grounds.appendChild(li);
    });
    out.push(grounds);

    out.push(el("h3", `Clauses selected (${x.selected.length})`));
    const sel = el("ul");
    x.selected.forEach(c => {
      const li = el("li", c.title);
      // The reason in words (reasons.toml); the condition as written is in the reviewer's copy.
      const words = (c.because || []).join("; ");
      li.appendChild(el("div", words ? `because ${words}` : `because \`${c.when.trim()}\` is true`, "why"));
      li.dataset.clause = c.id;
      sel.appendChild(li);
    });
    out.push(sel);

    out.push(el("h3", `Evidence gaps (${(x.evidence_gaps || []).length})`));
    const gaps = el("ul");
    (x.evidence_gaps || []).forEach(g => gaps.appendChild(el("li", g.message || g.what || JSON.stringify(g))));
    if (!(x.evidence_gaps || []).length) gaps.appendChild(el("li", "none"));
    out.push(gaps);

    const warnings = reply.problems.filter(p => p.severity === "warning");
    out.push(el("h3", `Warnings (${warnings.length})`));
    const warn = el("ul");
    warnings.forEach(w => warn.appendChild(el("li", w.message)));
    if (!warnings.length) warn.appendChild(el("li", "none"));
    out.push(warn);

    const rejected = el("details");
    rejected.appendChild(el("summary", `Clauses not selected (${x.rejected.length})`));
    const rej = el("ul");
    x.rejected.forEach(c => {
      const li = el("li", c.title);
      const words = (c.because || []).join("; ");
      li.appendChild(el("div", words ? `not used: ${words}` : `\`${c.when.trim()}\` is not true`, "why"));
      rej.appendChild(li);
    });
    rejected.appendChild(rej);
    out.push(rejected);
    panel.replaceChildren(...out);
  }

  // ---- the sticky header --------------------------------------------------------------------

  // The header's height depends on the window's width (its buttons wrap), so the page keeps
  // `--bar-height` equal to it: the viewport's scroll padding then stops any field scrolled to
  // (a link, a keyboard jump) below the header rather than under it. Zero once it stops sticking.
  const bar = document.querySelector("header.bar");
  function measureBar() {
    const sticky = getComputedStyle(bar).position === "sticky";
    const height = sticky ? Math.ceil(bar.getBoundingClientRect().height) : 0;
    document.documentElement.style.setProperty("--bar-height", height + "px");
  }
  new ResizeObserver(measureBar).observe(bar);
  window.addEventListener("resize", measureBar);
  measureBar();

  // An error link shows the whole question (label, help, message) below the header when it
  // fits, else the box itself, and moves focus to the box.
  summary.addEventListener("click", e => {
    const link = e.target.closest("a[href^='#']");
    if (!link) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    e.preventDefault();
    const field = target.matches("input, select, textarea, button") ? target : target.querySelector("input, select, textarea, button") || target;
    const box = field.closest(".field, fieldset") || field;
    box.scrollIntoView({ block: "start" });
    if (field.getBoundingClientRect().bottom > window.innerHeight) field.scrollIntoView({ block: "center" });
    if (!field.matches("input, select, textarea, button")) field.setAttribute("tabindex", "-1");
    field.focus({ preventScroll: true });
  });

  // ---- buttons ------------------------------------------------------------------------------

  async function checkAll() {
    state.showAll = true;
    const reply = await check();
    if (reply) { summary.focus(); }
    return reply;
  }

  async function save(replace) {
    const name = nameInput.value.trim() || (caseJson().matter || {}).reference || "";
    if (!name) { say("Give the case a file name first (the matter reference is a good one).", "error"); nameInput.focus(); return; }
    const response = await call("/api/save", { name, case: caseJson(), sha: state.sha, replace: !!replace, draft: state.draft });
    if (response.status === 409) {
      const text = await errorText(response);
      if (window.confirm(text.replace(/`/g, "\"") + "\n\nReplace it with this case?")) return save(true);
      say("Not saved. Choose another file name.", "error");
      return;
    }
    if (!response.ok) { say(await errorText(response), "error"); return; }
    const body = await response.json();
    state.sha = body.sha;
    state.dirty = false;
    nameInput.value = body.name;
    const reply = await check();
    const errors = reply ? reply.problems.filter(p => p.severity === "error").length : 0;
    say(`Saved as ${body.name}` + (errors ? ` (${errors} answer${errors === 1 ? "" : "s"} still to fix before the letter can be built)` : "."), errors ? "" : "ok");
  }

  async function showOpen() {
    const openPanel = document.getElementById("open-panel");
    const button = document.getElementById("open");
    if (!openPanel.hidden) { openPanel.hidden = true; button.setAttribute("aria-expanded", "false"); return; }
    const response = await fetch("/api/cases", { headers: { "X-Vtsdraft-Token": token }, credentials: "omit" });
    if (!response.ok) { say(await errorText(response), "error"); return; }
    const list = document.getElementById("case-list");
    list.replaceChildren();
    const { cases } = await response.json();
    if (!cases.length) list.appendChild(el("li", "The cases folder has no case files yet."));
    cases.forEach(c => {
      const li = el("li");
      const b = el("button", (c.draft ? "Draft: " : "") + c.name + " — " + new Date(c.modified * 1000).toLocaleString("en-GB"));
      b.type = "button";
      b.addEventListener("click", () => openCase(c));
      li.appendChild(b);
      list.appendChild(li);
    });
    openPanel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    const first = list.querySelector("button");
    if (first) first.focus();
  }

  async function openCase(entry) {
    if (state.dirty && !window.confirm("This case has unsaved changes (a draft is kept). Open another case anyway?")) return;
    const response = await call("/api/open", { name: entry.name, draft: entry.draft });
    if (!response.ok) { say(await errorText(response), "error"); return; }
    const body = await response.json();
    const unknown = fill(root, body.case, "", []);
    state.sha = body.sha;
    state.touched = new Set();
    state.showAll = false;
    state.dirty = false;
    state.draft = entry.draft ? entry.name.replace(/\.toml$/, "") : newDraftId();
    nameInput.value = entry.draft ? "" : body.saveAs || body.name;
    document.getElementById("open-panel").hidden = true;
    document.getElementById("open").setAttribute("aria-expanded", "false");
    let note = `Opened ${body.name}.`;
    if (body.hasComments) note += " Its comments will not be kept when you save from the form.";
    if (unknown.length) note += ` These answers are not questions of this form and will be dropped on saving: ${unknown.join(", ")}.`;
    say(note, unknown.length ? "error" : "ok");
    await check();
  }

  // What each download button fetches: the letter, the supervising solicitor's copy (each
  // paragraph's clause and reasons), or the letter as a Word document to edit.
  const DOWNLOADS = {
    letter: { button: "download", building: "Building the letter…",
      done: (name) => `Letter downloaded as ${name}. It is a draft: read it, then sign it.` },
    review: { button: "download-review", building: "Building the reviewer's copy…",
      done: (name) => `Reviewer's copy downloaded as ${name}. It is for the supervisor, not for sending.` },
    docx: { button: "download-docx", building: "Building the Word document…",
      done: (name) => `Word document downloaded as ${name}. It is a draft: read it, then sign it.` },
  };

  async function download(kind) {
    const what = DOWNLOADS[kind];
    const button = document.getElementById(what.button);
    button.disabled = true;
    say(what.building);
    try {
      const response = await call("/api/download", { case: caseJson(), kind });
      if (response.status === 422) {
        state.showAll = true;
        await check();
        summary.focus();
        say("The letter cannot be built yet: fix the answers listed at the top.", "error");
        return;
      }
      if (!response.ok) { say(await errorText(response), "error"); return; }
      const blob = await response.blob();
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = /filename="([^"]+)"/.exec(disposition);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = match ? match[1] : "letter.pdf";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60000);
      say(what.done(a.download), "ok");
    } finally {
      button.disabled = false;
    }
  }

  function newCase() {
    if (state.dirty && !window.confirm("This case has unsaved changes (a draft is kept). Start a new case anyway?")) return;
    fill(root, {}, "", []);
    nameInput.value = "";
    state.sha = null;
    state.draft = newDraftId();
    state.touched = new Set();
    state.showAll = false;
    state.dirty = false;
    say("New case.");
    check();
  }

  // ---- wiring -------------------------------------------------------------------------------

  root.addEventListener("input", e => {
    if (["date", "pdate"].includes(e.target.dataset.kind)) readBack(e.target);
    if (e.target.dataset.kind === "evref") e.target.dataset.value = e.target.value;
    changed(e.target);
  });
  root.addEventListener("change", e => {
    if (e.target.dataset.kind === "evref") e.target.dataset.value = e.target.value;
    changed(e.target);
  });
  root.addEventListener("click", e => {
    const button = e.target.closest("button[data-action]");
    if (!button) return;
    if (button.dataset.action === "add") {
      const list = button.closest('[data-kind="list"]');
      const item = addItem(list);
      const first = item.querySelector("input,select,textarea");
      if (first) first.focus();
      changed(list, false);
    } else if (button.dataset.action === "remove") {
      const list = button.closest('[data-kind="list"]');
      const addButton = list.querySelector(":scope > button.add");
      button.closest('[data-kind="item"]').remove();
      renumber(list);
      addButton.focus();
      changed(list, false);
    }
  });
  document.getElementById("save").addEventListener("click", () => save(false));
  document.getElementById("open").addEventListener("click", showOpen);
  document.getElementById("open-close").addEventListener("click", showOpen);
  document.getElementById("new").addEventListener("click", newCase);
  document.getElementById("check-all").addEventListener("click", checkAll);
  for (const [kind, what] of Object.entries(DOWNLOADS)) {
    document.getElementById(what.button).addEventListener("click", () => download(kind));
  }
  document.getElementById("restore-yes").addEventListener("click", restoreDraft);
  document.getElementById("restore-no").addEventListener("click", discardDraft);
  window.addEventListener("beforeunload", e => { if (state.dirty) { saveDraft(true); e.preventDefault(); } });

  check();
  offerDraft();
})();
