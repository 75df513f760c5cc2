"use strict";
// The story form while typing: its length (words, reading time, headline against
// Google's 110-character limit) and, beside each time field, the newsroom's zone at
// that date and how far off the time is ("in 2 h 15 min"). Mirrors
// newsdesk/story_scheduling.py (length_line) and newsdesk/times.py (zone_name, relative).
(function () {
  function lengthLine(headline, bodyHtml, wordsPerMinute, limit) {
    const text = document.createElement("textarea");
    // Tags count as spaces between words; the textarea decodes entities, runs nothing.
    text.innerHTML = bodyHtml.replace(/<[^>]*>/g, " ");
    const words = text.value.split(/\s+/).filter(Boolean).length;
    const minutes = Math.ceil(words / wordsPerMinute);
    const characters = [...headline].length;
    let line = `${words} word${words === 1 ? "" : "s"} · ${minutes} min read · `;
    line += `headline ${characters} of ${limit} characters`;
    if (characters > limit) {
      line += `: ${characters - limit} over Google's limit`;
    }
    return { line: line, over: characters > limit };
  }

  function watchLength(output) {
    const form = output.closest("form");
    const headline = form.querySelector("[name=headline]");
    const body = form.querySelector("[name=body]");
    if (!headline || !body) {
      return;
    }
    const perMinute = Number(output.dataset.wordsPerMinute);
    const limit = Number(output.dataset.headlineLimit);
    function update() {
      const facts = lengthLine(headline.value, body.value, perMinute, limit);
      output.textContent = facts.line;
      output.classList.toggle("over-limit", facts.over);
    }
    // The body's editor (editor.js) copies its HTML into the textarea after each
    // change: read it once that has happened.
    form.addEventListener("input", function () {
      window.setTimeout(update, 0);
    });
    update();
  }

  function zoneParts(zone, instant, options) {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, ...options }).formatToParts(instant);
    return Object.fromEntries(parts.map((part) => [part.type, part.value]));
  }

  function offsetMinutes(zone, instant) {
    const p = zoneParts(zone, instant, {
      hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric",
    });
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return Math.round((wall - instant.getTime()) / 60000);
  }

  // A wall-clock time in the newsroom's zone as an instant (twice: the offset of the
  // first guess may be the other side of a daylight-saving change).
  function instantOf(zone, date, time) {
    const d = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date.trim());
    const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.trim());
    if (!d || !t) {
      return null;
    }
    const wall = Date.UTC(d[1], d[2] - 1, d[3], t[1], t[2], t[3] || 0);
    let instant = wall - offsetMinutes(zone, new Date(wall)) * 60000;
    instant = wall - offsetMinutes(zone, new Date(instant)) * 60000;
    return new Date(instant);
  }

  function zoneName(zone, instant) {
    const abbreviation = zoneParts(zone, instant, { timeZoneName: "short" }).timeZoneName;
    if (!zone.includes("/")) {
      return abbreviation;
    }
    return `${zone.split("/").pop().replace(/_/g, " ")} time, ${abbreviation}`;
  }

  function relative(instant) {
    const seconds = (instant.getTime() - Date.now()) / 1000;
    let minutes = Math.round(Math.abs(seconds) / 60);
    if (minutes === 0) {
      return "now";
    }
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    minutes %= 60;
    const units = [[days, "d"], [hours, "h"], [minutes, "min"]];
    const first = units.findIndex(([amount]) => amount);
    const span = units.slice(first, first + 2).filter(([amount]) => amount)
      .map(([amount, unit]) => `${amount} ${unit}`).join(" ");
    return seconds > 0 ? `in ${span}` : `${span} ago`;
  }

  function watchTime(dateInput) {
    const zone = dateInput.dataset.newsroomZone;
    const name = dateInput.name.replace(/_0$/, "");
    const timeInput = dateInput.form.querySelector(`[name="${name}_1"]`);
    const output = document.createElement("span");
    output.className = "help newsroom-time";
    output.dataset.relativeTime = name;
    output.setAttribute("aria-live", "polite");
    dateInput.closest(".datetime").insertAdjacentElement("afterend", output);
    function update() {
      const instant = timeInput && instantOf(zone, dateInput.value, timeInput.value);
      output.textContent = instant ? `${zoneName(zone, instant)} · ${relative(instant)}` : "";
    }
    // The calendar and clock shortcuts set the inputs without an input event.
    [dateInput, timeInput].forEach(function (input) {
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });
    dateInput.form.addEventListener("click", function () {
      window.setTimeout(update, 0);
    });
    window.setInterval(update, 30000);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-story-length]").forEach(watchLength);
    document.querySelectorAll("input[data-newsroom-zone][name$='_0']").forEach(watchTime);
  });
})();
