"use strict";
// The credits of a story in the order of their rows: drag a row (HTML5 drag and drop)
// or use its "Move up" / "Move down" buttons (keyboard), and the hidden position inputs
// are renumbered, so the bylines print in the order shown. Rows are the admin's
// tabular inline (newsdesk/story_inlines.py, CreditInline).
(function () {
  function rows(group) {
    return [...group.querySelectorAll("tbody > tr.form-row:not(.empty-form)")];
  }

  // Only rows that hold a credit: a blank new row given a number would count as
  // changed, and the form would ask for its person.
  function renumber(group) {
    let position = 0;
    rows(group).forEach(function (row) {
      const input = row.querySelector("input[name$='-position']");
      const id = row.querySelector("input[name$='-id']");
      const person = row.querySelector("select[name$='-person']");
      if (input && ((id && id.value) || (person && person.value))) {
        input.value = String(position);
        position += 1;
      }
    });
  }

  function move(group, row, offset) {
    const all = rows(group);
    const target = all[all.indexOf(row) + offset];
    if (!target) {
      return;
    }
    target.insertAdjacentElement(offset < 0 ? "beforebegin" : "afterend", row);
    renumber(group);
  }

  function button(label, text, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "credit-move";
    element.textContent = text;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.addEventListener("click", onClick);
    return element;
  }

  function enhance(group, row) {
    // Read-only credits (a submitted story) have no positions to change.
    if (row.dataset.creditOrder !== undefined || !row.querySelector("input[name$='-position']")) {
      return;
    }
    row.dataset.creditOrder = "";
    row.draggable = true;
    const cell = row.querySelector("td.original");
    const controls = document.createElement("span");
    controls.className = "credit-order";
    const handle = document.createElement("span");
    handle.className = "credit-handle";
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    controls.append(
      handle,
      button("Move up", "↑", function (event) {
        move(group, row, -1);
        event.currentTarget.focus();
      }),
      button("Move down", "↓", function (event) {
        move(group, row, 1);
        event.currentTarget.focus();
      })
    );
    cell.prepend(controls);
  }

  function setUp(group) {
    let dragged = null;
    rows(group).forEach((row) => enhance(group, row));
    group.addEventListener("dragstart", function (event) {
      dragged = event.target.closest && event.target.closest("tr.form-row");
      if (!dragged) {
        return;
      }
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.id);
    });
    group.addEventListener("dragover", function (event) {
      const over = event.target.closest("tr.form-row:not(.empty-form)");
      if (!dragged || !over || over === dragged) {
        return;
      }
      event.preventDefault();
      const box = over.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      over.insertAdjacentElement(after ? "afterend" : "beforebegin", dragged);
    });
    group.addEventListener("drop", function (event) {
      event.preventDefault();
      renumber(group);
    });
    group.addEventListener("dragend", function () {
      if (dragged) {
        dragged.classList.remove("dragging");
      }
      dragged = null;
      renumber(group);
    });
    // A row added with "Add another credit", and its person chosen.
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName === "credits") {
        enhance(group, event.target);
      }
    });
    group.addEventListener("change", () => renumber(group));
    group.closest("form").addEventListener("submit", () => renumber(group));
  }

  document.addEventListener("DOMContentLoaded", function () {
    const group = document.getElementById("credits-group");
    if (group) {
      setUp(group);
    }
  });
})();
