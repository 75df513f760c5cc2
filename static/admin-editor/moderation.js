"use strict";
// The moderation queue (comments/queue_admin.py). Every row's Approve, Spam, Trash and
// Reply are real form posts that work without this script; with it, they are sent
// with fetch instead, and the JSON answer updates the row, its status and the counts
// per status in place, so the moderator never leaves the page. The keyboard drives it
// too: j/k move between comments, a/s/d give a verdict, r opens the reply box, ? shows
// the shortcuts; keys typed into a field are the field's.
(function () {
  const entries = Array.from(document.querySelectorAll("[data-queue-entry]"));
  if (!entries.length) {
    return;
  }
  const rowOf = (entry) => entry.closest("tr") || entry;
  const KEYS = { a: "approved", s: "spam", d: "trash" };
  let selected = -1;

  function select(index) {
    if (index < 0 || index >= entries.length) {
      return;
    }
    if (selected >= 0) {
      rowOf(entries[selected]).classList.remove("queue-selected");
    }
    selected = index;
    const entry = entries[selected];
    rowOf(entry).classList.add("queue-selected");
    entry.focus({ preventScroll: true });
    rowOf(entry).scrollIntoView({ block: "nearest" });
  }

  function entryOf(id) {
    return document.querySelector(`[data-queue-entry="${id}"]`);
  }

  function say(entry, text, isError) {
    const outcome = entry.querySelector("[data-queue-outcome]");
    outcome.textContent = text;
    outcome.classList.toggle("errornote", Boolean(isError));
  }

  function showStatus(entry, comment) {
    entry.dataset.status = comment.status;
    const label = document.querySelector(`[data-queue-status="${comment.id}"]`);
    if (label) {
      label.textContent = comment.label;
      label.className = `queue-status queue-status-${comment.status}`;
    }
    const filtered = new URLSearchParams(window.location.search).get("status") || "pending";
    // Done with, in this view of the queue: dimmed, but kept in place for j/k.
    rowOf(entry).classList.toggle("queue-done", filtered !== "all" && filtered !== comment.status);
  }

  function showCounts(counts) {
    for (const [status, count] of Object.entries(counts)) {
      for (const element of document.querySelectorAll(`[data-status-count="${status}"]`)) {
        element.textContent = count;
      }
    }
  }

  function showReply(entry, reply) {
    const item = document.createElement("li");
    const author = document.createElement("strong");
    author.textContent = reply.author;
    item.append(author, ` (approved): ${reply.body}`);
    entry.querySelector("[data-queue-replies]").append(item);
    const box = entry.querySelector("[data-queue-reply]");
    box.querySelector("textarea").value = "";
    box.open = false;
  }

  async function send(form, submitter) {
    const entry = entryOf(form.dataset.comment);
    // Read before the buttons are disabled: a disabled submitter sends no verdict.
    const body = new FormData(form, submitter);
    const buttons = document.querySelectorAll(`[form="${form.id}"]`);
    buttons.forEach((button) => (button.disabled = true));
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        say(entry, answer.error || `Not done (the server answered ${response.status}).`, true);
        return;
      }
      showStatus(entry, answer.comment);
      showCounts(answer.counts);
      if (answer.reply) {
        showReply(entry, answer.reply);
      }
      say(entry, answer.message, false);
    } catch (error) {
      say(entry, "Not done: the server could not be reached. Try again.", true);
    } finally {
      buttons.forEach((button) => (button.disabled = false));
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-queue-form]");
    if (form) {
      event.preventDefault();
      send(form, event.submitter);
    }
  });

  entries.forEach((entry, index) => {
    entry.addEventListener("click", () => {
      if (index !== selected) {
        select(index);
      }
    });
  });

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && event.target.closest("[data-queue-reply]")) {
      const box = event.target.closest("[data-queue-reply]");
      box.open = false;
      entries[selected] && entries[selected].focus();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    const entry = entries[selected];
    if (event.key === "j") {
      select(selected + 1);
    } else if (event.key === "k") {
      select(Math.max(selected - 1, 0));
    } else if (event.key === "?") {
      const legend = document.querySelector("[data-queue-shortcuts]");
      legend.open = !legend.open;
    } else if (entry && KEYS[event.key]) {
      const button = entry.querySelector(`[data-verdict="${KEYS[event.key]}"]`);
      if (button) {
        button.form.requestSubmit(button);
      }
    } else if (entry && event.key === "r") {
      const box = entry.querySelector("[data-queue-reply]");
      if (box) {
        box.open = true;
        box.querySelector("textarea").focus();
      }
    } else {
      return;
    }
    event.preventDefault();
  });
})();
