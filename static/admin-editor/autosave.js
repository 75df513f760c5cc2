"use strict";
// Autosave of the story form (newsdesk/autosave.py): typed copy is never lost.
//
// While someone types, the form's values go to their draft buffer on the server a
// few seconds after the last keystroke, and once more when the page is left (a
// beacon, which outlives the tab). The latest copy is also kept in localStorage,
// marked whether the server took it: when it did not (the session expired, so
// the admin answered with a redirect to the login page), signing in again and
// reopening the form offers that copy. Reopening the form with a newer copy than
// the story's last save offers "Restore your unsaved changes from 10:42 / Discard".
// The browser asks before leaving with unsaved changes, except when saving.
//
// Settings come from <script id="desk-editing-config" type="application/json">.
(function () {
  const DELAY_MS = 2000;
  const SAVED_COOKIE = "newsdesk_saved";
  const NOT_SENT = ["submit", "button", "reset", "image", "file"];

  function readConfig() {
    const element = document.getElementById("desk-editing-config");
    return element ? JSON.parse(element.textContent) : null;
  }

  function readCopy(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      return null; // storage disabled, or not ours
    }
  }

  function writeCopy(key, copy) {
    try {
      window.localStorage.setItem(key, JSON.stringify(copy));
    } catch (error) {
      // Storage full or disabled: the server's buffer still has the copy.
    }
  }

  function dropCopy(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      // Nothing kept.
    }
  }

  // The page after a save: the server names the copy the save superseded.
  function dropSavedCopy() {
    const match = document.cookie.match(new RegExp("(?:^|;\\s*)" + SAVED_COOKIE + "=([^;]*)"));
    if (match) {
      dropCopy(decodeURIComponent(match[1]));
      document.cookie = SAVED_COOKIE + "=; Max-Age=0; Path=/; SameSite=Lax";
    }
  }

  function sent(element) {
    return element.name && !element.disabled && !NOT_SENT.includes(element.type) &&
      element.name !== "csrfmiddlewaretoken";
  }

  // {name: [values]}: unchecked boxes as [] so that restoring unchecks them.
  function formValues(form) {
    const values = {};
    Array.from(form.elements).filter(sent).forEach(function (element) {
      const list = values[element.name] || (values[element.name] = []);
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) {
          list.push(element.value);
        }
      } else if (element.type === "select-multiple") {
        Array.from(element.selectedOptions).forEach(function (option) {
          list.push(option.value);
        });
      } else {
        list.push(element.value);
      }
    });
    return values;
  }

  // Hidden inputs (the stale-save token, inline ids and counts) stay as the page has them.
  function restore(form, values) {
    const seen = {};
    Array.from(form.elements).forEach(function (element) {
      if (!sent(element) || element.type === "hidden" || !(element.name in values)) {
        return;
      }
      const list = values[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = list.includes(element.value);
      } else if (element.tagName === "SELECT") {
        if (element.hasAttribute("data-tag-picker")) {
          // The picker lists only the story's saved tags: add the ones typed since.
          list.forEach(function (value) {
            if (!Array.from(element.options).some((option) => option.value === value)) {
              element.add(new Option(value, value));
            }
          });
        }
        Array.from(element.options).forEach(function (option) {
          option.selected = list.includes(option.value);
        });
      } else {
        const index = seen[element.name] || 0;
        seen[element.name] = index + 1;
        element.value = list[index] !== undefined ? list[index] : "";
      }
      element.dispatchEvent(new Event("change", { bubbles: true }));
      // The body's Quill editor reloads from its textarea (editor.js).
      element.dispatchEvent(new Event("rich-text:reload"));
    });
  }

  function clockTime(milliseconds, timeZone) {
    const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: timeZone };
    const day = { month: "short", day: "numeric", timeZone: timeZone };
    const format = (opts, when) => new Intl.DateTimeFormat("en-US", opts).format(when);
    const when = new Date(milliseconds);
    const today = format(day, new Date()) === format(day, when);
    return (today ? "" : format(day, when) + ", ") + format(options, when);
  }

  function setUp(form, config) {
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const banner = document.querySelector("[data-restore]");
    const state = document.querySelector("[data-autosave-state]");
    let dirty = false; // changed since the page opened: leaving asks first
    let pending = false; // changed since the last autosave
    let submitting = false;
    let timer = null;

    function request(fields) {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("fields", JSON.stringify(fields));
      return data;
    }

    function keepLocally(fields, synced) {
      writeCopy(config.storageKey, { fields: fields, savedAt: Date.now(), synced: synced });
    }

    function autosave() {
      timer = null;
      if (submitting || !pending) {
        return;
      }
      pending = false;
      const fields = formValues(form);
      keepLocally(fields, false);
      fetch(config.autosave, {
        method: "POST",
        body: request(fields),
        credentials: "same-origin",
        redirect: "manual", // an expired session redirects to the login page
      })
        .then(function (response) {
          if (!response.ok) {
            return response.json().catch(() => ({})).then(function (answer) {
              throw new Error(answer.error || "Not signed in");
            });
          }
          return response.json().then(function (answer) {
            keepLocally(fields, true);
            state.textContent = "Draft kept at " + answer.label + " (not saved to the story yet).";
          });
        })
        .catch(function (error) {
          state.textContent =
            "Your draft could not be kept on the server (" + error.message + "): it is kept in " +
            "this browser. Sign in again and reopen this story to restore it.";
        });
    }

    function changed(event) {
      if (!event.isTrusted) {
        return; // our own restore, or a widget setting itself up
      }
      dirty = pending = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(autosave, DELAY_MS);
    }

    function leaving() {
      if (submitting || !pending) {
        return;
      }
      pending = false;
      window.clearTimeout(timer);
      const fields = formValues(form);
      keepLocally(fields, false);
      navigator.sendBeacon(config.autosave, request(fields));
    }

    // What to offer back: the newest of the server's buffer and a copy it never took.
    const local = config.offersRestore ? readCopy(config.storageKey) : null;
    let offer = config.offer;
    if (local && local.synced && !offer) {
      dropCopy(config.storageKey); // the server's copy was discarded or saved since
    } else if (
      local &&
      !local.synced &&
      (!config.storySavedAt || local.savedAt > config.storySavedAt) &&
      (!offer || local.savedAt > offer.savedAt)
    ) {
      offer = { fields: local.fields, label: clockTime(local.savedAt, config.timeZone) };
    }
    if (offer) {
      banner.querySelector("[data-restore-label]").textContent = offer.label;
      banner.hidden = false;
      banner.querySelector("[data-restore-apply]").addEventListener("click", function () {
        restore(form, offer.fields);
        banner.hidden = true;
        dirty = pending = true;
        autosave();
      });
      banner.querySelector("[data-restore-discard]").addEventListener("click", function () {
        banner.hidden = true;
        dropCopy(config.storageKey);
        fetch(config.discard, { method: "POST", body: request({}), redirect: "manual" });
      });
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      window.clearTimeout(timer);
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.addEventListener("pagehide", leaving);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        leaving();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    dropSavedCopy();
    const config = readConfig();
    const form = document.querySelector("[data-desk-editing]") &&
      document.querySelector("[data-desk-editing]").closest("form");
    if (config && form) {
      setUp(form, config);
    }
  });
})();
