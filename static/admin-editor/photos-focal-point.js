// The focal point: click the photo where it must stay in view when a crop cuts it.
// The click writes the two number inputs (focal_x, focal_y: 0 to 1 across and down)
// and moves the marker; typing a number moves the marker too. Without this script the
// two inputs work on their own.
"use strict";

// Admin media load in the head: wait for the form below.
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector("[data-focal-picker]");
  const across = document.getElementById("id_focal_x");
  const down = document.getElementById("id_focal_y");
  if (!picker || !across || !down) {
    return;
  }
  const image = picker.querySelector("[data-focal-image]");
  const marker = picker.querySelector("[data-focal-marker]");

  function fraction(value) {
    return Math.min(1, Math.max(0, value));
  }

  function place() {
    const x = parseFloat(across.value);
    const y = parseFloat(down.value);
    marker.hidden = Number.isNaN(x) || Number.isNaN(y);
    marker.style.left = `${fraction(x) * 100}%`;
    marker.style.top = `${fraction(y) * 100}%`;
  }

  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    across.value = fraction((event.clientX - box.left) / box.width).toFixed(3);
    down.value = fraction((event.clientY - box.top) / box.height).toFixed(3);
    place();
  });
  across.addEventListener("input", place);
  down.addEventListener("input", place);
  picker.classList.add("is-active");
  place();
});
