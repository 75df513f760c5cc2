"use strict";
// Presence in the story form (newsdesk/presence.py): a heartbeat while the form is
// open says who else has the story open, and lets one editor take it over; the
// other is told at their next heartbeat, and this form then stops beating.
//
// Settings come from <script id="desk-editing-config" type="application/json">.
(function () {
  function paragraphs(box, notices) {
    box.replaceChildren(
      ...notices.map(function (notice) {
        const line = document.createElement("p");
        line.className = "desk-notice";
        line.textContent = notice;
        return line;
      }),
    );
  }

  function setUp(form, config) {
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const box = document.querySelector("[data-presence]");
    const takeOverLine = document.querySelector("[data-take-over-line]");
    let timer = null;
    // What this editor did (took the story over) stays said across later heartbeats.
    let standingNote = null;

    function post(url) {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      return fetch(url, { method: "POST", body: data, redirect: "manual" }).then(function (response) {
        return response.ok ? response.json() : null; // signed out: autosave.js says so
      });
    }

    function show(answer) {
      if (!answer) {
        return;
      }
      const notices = answer.takenOver ? [answer.takenOver] : answer.others.slice();
      if (standingNote && !answer.takenOver) {
        notices.push(standingNote);
      }
      paragraphs(box, notices);
      takeOverLine.hidden = Boolean(answer.takenOver) || answer.others.length === 0;
      if (answer.takenOver) {
        window.clearInterval(timer);
        box.classList.add("desk-taken-over");
      }
    }

    function beat() {
      post(config.heartbeat).then((answer) => show(answer));
    }

    show({ others: config.others });
    timer = window.setInterval(beat, config.heartbeatMs);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && !box.classList.contains("desk-taken-over")) {
        beat();
      }
    });
    takeOverLine.querySelector("[data-take-over]").addEventListener("click", function () {
      post(config.takeOver).then(function (answer) {
        if (answer) {
          standingNote = "You have taken over this story; the others are told within seconds.";
        }
        show(answer);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const element = document.getElementById("desk-editing-config");
    const config = element ? JSON.parse(element.textContent) : null;
    const holder = document.querySelector("[data-desk-editing]");
    if (config && config.heartbeat && holder) {
      setUp(holder.closest("form"), config);
    }
  });
})();
