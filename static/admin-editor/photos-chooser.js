// The photo chooser of the story form (photos.widgets.PhotoChooser): search the
// library, or upload a photo, and the story's photo number is set. Without this script
// the number can be typed, looked up in the library.
"use strict";

// Admin media load in the head: wait for the form below.
document.addEventListener("DOMContentLoaded", () => {
  function token() {
    const field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function thumbnail(photo, size) {
    const image = document.createElement("img");
    image.src = photo.thumbnail;
    image.alt = "";
    const scale = size / Math.max(photo.width, photo.height, 1);
    image.width = Math.max(1, Math.round(photo.width * scale));
    image.height = Math.max(1, Math.round(photo.height * scale));
    image.loading = "lazy";
    return image;
  }

  function setUp(chooser) {
    const input = chooser.querySelector("[data-photo-id]");
    const current = chooser.querySelector("[data-photo-current]");
    const panel = chooser.querySelector("[data-photo-panel]");
    const search = chooser.querySelector("[data-photo-search]");
    const results = chooser.querySelector("[data-photo-results]");
    const more = chooser.querySelector("[data-photo-more]");
    const error = chooser.querySelector("[data-photo-error]");
    const upload = chooser.querySelector("[data-photo-upload-one]");
    let page = 1;
    let asked = 0;

    function say(text) {
      error.textContent = text;
      error.hidden = !text;
    }

    function show(photo) {
      current.replaceChildren();
      if (!photo) {
        return;
      }
      const words = document.createElement("p");
      const link = document.createElement("a");
      link.href = photo.change_url;
      link.target = "_blank";
      link.textContent = photo.title;
      words.append(link);
      if (!photo.alt_text && !photo.decorative) {
        const warning = document.createElement("strong");
        warning.className = "photo-missing-alt";
        warning.textContent =
          " No alt text: describe it (or mark it decorative) before publishing.";
        words.append(warning);
      }
      if (photo.credit) {
        words.append(document.createElement("br"), `Credit: ${photo.credit}`);
      }
      current.append(thumbnail(photo, 160), words);
    }

    function choose(photo) {
      input.value = photo.id;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      show(photo);
      panel.hidden = true;
      say("");
    }

    async function load(replace) {
      const number = ++asked;
      const url = new URL(chooser.dataset.chooseUrl, window.location.href);
      url.searchParams.set("q", search.value.trim());
      url.searchParams.set("page", page);
      const response = await fetch(url, { credentials: "same-origin" });
      const answer = await response.json();
      if (number !== asked) {
        return; // a newer search has been typed meanwhile
      }
      if (!response.ok) {
        say(answer.error || "The library could not be searched.");
        return;
      }
      if (replace) {
        results.replaceChildren();
      }
      answer.results.forEach((photo) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.title = photo.title;
        button.dataset.photoChoice = photo.id;
        button.append(thumbnail(photo, 120));
        button.addEventListener("click", () => choose(photo));
        item.append(button);
        results.append(item);
      });
      more.hidden = !answer.more;
    }

    let typing;
    search.addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        page = 1;
        load(true);
      }, 250);
    });
    more.addEventListener("click", () => {
      page += 1;
      load(false);
    });
    chooser.querySelector("[data-photo-open]").addEventListener("click", () => {
      panel.hidden = !panel.hidden;
      if (!panel.hidden) {
        page = 1;
        load(true);
        search.focus();
      }
    });
    chooser.querySelector("[data-photo-clear]").addEventListener("click", () => {
      input.value = "";
      show(null);
    });
    upload.addEventListener("change", async () => {
      const file = upload.files[0];
      if (!file) {
        return;
      }
      const body = new FormData();
      body.append("file", file);
      say("Uploading…");
      const response = await fetch(chooser.dataset.uploadUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token() },
      });
      const answer = await response.json().catch(() => ({}));
      upload.value = "";
      if (response.status === 201) {
        choose(answer);
      } else {
        say(answer.error || `The upload failed (${response.status}).`);
      }
    });
    chooser.querySelector("[data-photo-tools]").hidden = false;
  }

  document.querySelectorAll("[data-photo-chooser]").forEach(setUp);
});
