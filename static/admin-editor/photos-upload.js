// The library's upload: drop photos on the zone above the list, or choose several
// files; each is posted on its own to the upload endpoint, with its progress and its
// result (a link to describe it, or why it was refused). Without this script the
// zone stays hidden and "Add photo" uploads one file through the form.
"use strict";

// Admin media load in the head: wait for the form below.
document.addEventListener("DOMContentLoaded", () => {
  const zone = document.querySelector("[data-photo-upload]");
  if (!zone) {
    return;
  }
  const input = zone.querySelector("[data-photo-files]");
  const results = zone.querySelector("[data-photo-upload-results]");
  const token = zone.querySelector("[name=csrfmiddlewaretoken]").value;
  const refresh = zone.querySelector("[data-photo-refresh]");

  function line(file) {
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = file.name;
    const progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    const message = document.createElement("span");
    message.className = "photo-upload-message";
    item.append(name, " ", progress, " ", message);
    results.append(item);
    return { item, progress, message };
  }

  function done(row, photo) {
    row.progress.remove();
    const image = document.createElement("img");
    image.src = photo.thumbnail;
    image.alt = "";
    image.width = 48;
    image.height = Math.max(1, Math.round((48 * photo.height) / Math.max(photo.width, 1)));
    const link = document.createElement("a");
    link.href = photo.change_url;
    link.textContent = photo.alt_text ? "Uploaded: edit it" : "Uploaded: add its alt text";
    row.item.prepend(image, " ");
    row.message.append(link);
    row.item.classList.add("photo-upload-done");
  }

  function refused(row, text) {
    row.progress.remove();
    row.message.textContent = text;
    row.item.classList.add("photo-upload-refused");
  }

  // One upload at a time, in the order dropped: each gets the whole connection (its
  // progress means something) and the server stores one photo at a time.
  let queue = Promise.resolve();

  function send(file, row) {
    return new Promise((finished) => {
      const body = new FormData();
      body.append("file", file);
      const request = new XMLHttpRequest();
      request.open("POST", zone.dataset.uploadUrl);
      request.setRequestHeader("X-CSRFToken", token);
      request.responseType = "json";
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) {
          row.progress.value = Math.round((100 * event.loaded) / event.total);
        }
      });
      request.addEventListener("load", () => {
        const answer = request.response || {};
        if (request.status === 201) {
          done(row, answer);
        } else {
          refused(row, answer.error || `The upload failed (${request.status}).`);
        }
        finished();
      });
      request.addEventListener("error", () => {
        refused(row, "The upload failed: no connection.");
        finished();
      });
      request.send(body);
    });
  }

  function sendAll(files) {
    Array.from(files).forEach((file) => {
      const row = line(file);
      queue = queue.then(() => send(file, row));
    });
    queue = queue.then(() => {
      refresh.hidden = false;
    });
  }

  zone.hidden = false;
  input.addEventListener("change", () => {
    sendAll(input.files);
    input.value = "";
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("is-dragged-over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("is-dragged-over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("is-dragged-over");
    sendAll(event.dataTransfer.files);
  });
});
