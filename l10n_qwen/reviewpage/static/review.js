// l10n-qwen review: editing, verification as you type, actions and keyboard shortcuts.
// The page itself is rendered by the server; this script only adds behaviour to it.
(() => {
  "use strict";
  const token = document.body.dataset.token;
  const banner = document.getElementById("banner");
  const BANNER_KEY = "l10n-qwen-review-banner";
  let current = null;

  function say(text, kind) {
    banner.textContent = text;
    banner.className = kind || "";
    banner.hidden = !text;
  }

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Review-Token": token },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const text = await response.text();
      let message = text;
      try {
        message = JSON.parse(text).error || text;
      } catch {
        // not JSON: the text as it came
      }
      throw new Error(message);
    }
    return response.json();
  }

  const open = () => [...document.querySelectorAll("article.entry:not(.done)")];
  const fields = (card) => [...card.querySelectorAll("textarea.target")];
  const texts = (card) => fields(card).map((field) => field.value);
  const edited = (card) => fields(card).some((field) => field.value !== field.defaultValue);

  function select(card) {
    if (!card) return;
    if (current) current.classList.remove("current");
    current = card;
    card.classList.add("current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const cards = open();
    if (!cards.length) return;
    const at = cards.indexOf(current);
    const next = at < 0 ? 0 : Math.min(cards.length - 1, Math.max(0, at + step));
    select(cards[next]);
  }

  // -- verification as you type (debounced) ------------------------------------------------
  const timers = new WeakMap();

  function showProblems(card, problems, missingTerms) {
    const list = card.querySelector(".problems");
    list.replaceChildren(
      ...problems.map((text) => Object.assign(document.createElement("li"), { textContent: text })),
    );
    card.classList.toggle("broken", problems.length > 0);
    card.querySelector("button.approve").disabled = problems.length > 0;
    for (const term of card.querySelectorAll("li.term")) {
      term.classList.toggle("missing", missingTerms.includes(term.dataset.target));
    }
  }

  async function verify(card) {
    clearTimeout(timers.get(card));
    const asked = texts(card);
    const answer = await post("/verify", { id: card.dataset.id, targets: asked });
    if (texts(card).join("\0") !== asked.join("\0")) return null; // typed on meanwhile
    card.classList.remove("checking");
    showProblems(card, answer.problems, answer.missing_terms);
    return answer.problems;
  }

  function verifySoon(card) {
    clearTimeout(timers.get(card));
    card.classList.add("checking");
    timers.set(card, setTimeout(() => verify(card).catch((e) => say(String(e), "error")), 250));
  }

  // -- actions ----------------------------------------------------------------------------
  function finish(card, result) {
    const note = card.querySelector(".result");
    if (result.ok) {
      card.classList.add("done");
      card.dataset.outcome = result.status;
      note.textContent = result.status;
      for (const field of fields(card)) field.readOnly = true;
      for (const button of card.querySelectorAll(".actions button")) button.disabled = true;
    } else {
      card.classList.add("refused");
      note.textContent = result.reason;
    }
  }

  async function act(cards, kind) {
    const wanted = [];
    for (const card of cards) {
      let action = kind;
      if (kind === "approve" && edited(card)) {
        const problems = await verify(card); // never send an edit the check has not seen
        if (problems === null || problems.length) continue;
        action = "edit";
      }
      wanted.push({ id: card.dataset.id, hash: card.dataset.hash, action, targets: texts(card) });
    }
    if (!wanted.length) return;
    const answer = await post("/act", { actions: wanted });
    for (const card of cards) {
      const result = answer.results[card.dataset.id];
      if (result) finish(card, result);
    }
    for (const [file, hash] of Object.entries(answer.hashes)) {
      for (const card of document.querySelectorAll("article.entry")) {
        if (card.dataset.file === file) card.dataset.hash = hash;
      }
    }
    if (answer.conflicts.length) {
      sessionStorage.setItem(
        BANNER_KEY,
        `${answer.conflicts.join(", ")} changed on disk since the page loaded, so nothing ` +
          "was saved there; the page has been reloaded with the file as it is now.",
      );
      location.reload();
      return;
    }
    if (current && current.classList.contains("done")) move(1);
  }

  function run(promise) {
    promise.catch((error) => say(String(error), "error"));
  }

  // -- wiring -----------------------------------------------------------------------------
  const kept = sessionStorage.getItem(BANNER_KEY);
  if (kept) {
    sessionStorage.removeItem(BANNER_KEY);
    say(kept, "warning");
  }

  document.addEventListener("input", (event) => {
    const card = event.target.closest("article.entry");
    if (card && event.target.matches("textarea.target")) verifySoon(card);
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) {
      const card = button.closest("article.entry");
      select(card);
      run(act([card], button.dataset.action));
      return;
    }
    const card = event.target.closest("article.entry");
    if (card && card !== current) select(card);
  });

  document.addEventListener("focusin", (event) => {
    const card = event.target.closest("article.entry");
    if (card && card !== current) {
      if (current) current.classList.remove("current");
      current = card;
      card.classList.add("current");
    }
  });

  document.getElementById("approve-all").addEventListener("click", () => {
    run(act(open().filter((card) => !card.classList.contains("broken")), "approve"));
  });

  for (const menu of document.querySelectorAll("form.filters select")) {
    menu.addEventListener("change", () => menu.form.submit());
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.matches("textarea, input, select")) {
      if (event.key === "Escape") event.target.closest("article.entry")?.focus();
      return;
    }
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (event.key === "a" && current && !current.classList.contains("done")) {
      run(act([current], "approve"));
    } else if (event.key === "e" && current) {
      const field = fields(current)[0];
      if (field && !field.readOnly) {
        event.preventDefault(); // the "e" is a command, not text
        field.focus();
      }
    } else return;
    event.preventDefault();
  });

  select(open()[0]);
})();
