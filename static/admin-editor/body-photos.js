"use strict";
// Photos from the library in the body editor (static/admin-editor/editor.js).
//
// The body stores a reference, <figure data-photo="12"></figure>, and a gallery as
// <div data-gallery=""> around references (core/sanitize.py keeps only that): the reader
// page draws the figure, with the library's caption and credit (articles/body_photos.py).
// Here each reference is a Quill embed showing the photo's thumbnail and caption, with
// its width on the page and a caption for this story (empty: the library's) to pick.
// Photos come from the library only: the toolbar's image button opens a chooser (one
// photo makes a figure, several a gallery), and an image file dropped or pasted into
// the text is uploaded to the library first. An address of an image elsewhere is never
// inserted: the editor has no image format, so pasted <img> elements are dropped.
//
// The textarea tells us where the library is: data-photo-upload and data-photo-choose
// (the admin's JSON views) and data-body-photos, the thumbnails and captions of the
// photos its body already shows.
window.BodyPhotos = (function () {
  const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"];
  // What the editor knows of each photo, by id: {thumbnail, alt_text, caption}.
  const known = new Map();

  function remember(photo) {
    known.set(String(photo.id), photo);
  }

  function photoId(node) {
    const id = node.getAttribute("data-photo") || "";
    return /^[1-9][0-9]*$/.test(id) ? id : null;
  }

  // The editor's picture of one photo: its thumbnail and caption (not stored).
  function fillFigure(node, value) {
    const photo = known.get(value.id) || {};
    const image = document.createElement("img");
    image.alt = photo.alt_text || "";
    if (photo.thumbnail) {
      image.src = photo.thumbnail;
    }
    const caption = document.createElement("figcaption");
    caption.textContent = value.caption || photo.caption || "Photo " + value.id + " (no caption)";
    node.append(image, caption);
  }

  const WIDTHS = [
    ["", "Column width"],
    ["wide", "Wide"],
    ["inset", "Inset, beside the text"],
  ];

  // A photo of its own (not in a gallery) is shown at a width the editor picks, with
  // the library's caption or one written for this story.
  function addControls(node, value) {
    const photo = known.get(value.id) || {};
    const controls = document.createElement("span");
    controls.className = "ql-photo-controls";
    const width = document.createElement("select");
    width.setAttribute("aria-label", "Width on the page");
    width.setAttribute("data-photo-width", "");
    WIDTHS.forEach(function ([size, label]) {
      width.append(new Option(label, size, false, size === (value.size || "")));
    });
    const caption = document.createElement("input");
    caption.type = "text";
    caption.value = value.caption || "";
    caption.placeholder = photo.caption || "Caption for this story (the library has none)";
    caption.setAttribute("aria-label", "Caption in this story (empty: the library's)");
    caption.setAttribute("data-photo-caption", "");
    let replaced = false;
    function changed() {
      const next = { id: value.id, size: width.value, caption: caption.value.trim() };
      const same = next.size === (value.size || "") && next.caption === (value.caption || "");
      if (same || replaced || !node.isConnected) {
        return;
      }
      // Removing the embed blurs whatever of it has the focus, which fires "change" again.
      replaced = true;
      const quill = Quill.find(node.closest(".ql-container"));
      const index = quill.getIndex(Quill.find(node));
      quill.deleteText(index, 1, "user");
      quill.insertEmbed(index, "photo", next, "user");
    }
    // Keys typed here are the caption's, not the editor's (Backspace...), and Enter
    // takes the caption rather than submitting the story's form.
    caption.addEventListener("keydown", function (event) {
      event.stopPropagation();
      if (event.key === "Enter") {
        event.preventDefault();
        caption.blur(); // which fires "change"
      }
    });
    width.addEventListener("change", changed);
    caption.addEventListener("change", changed);
    controls.append(width, caption);
    node.append(controls);
  }

  function reference(value) {
    const figure = document.createElement("figure");
    figure.setAttribute("data-photo", value.id);
    if (value.size) {
      figure.setAttribute("data-size", value.size);
    }
    if (value.caption) {
      figure.setAttribute("data-caption", value.caption);
    }
    return figure.outerHTML;
  }

  function readReference(node) {
    const id = photoId(node);
    if (id === null) {
      return null;
    }
    return {
      id: id,
      size: node.getAttribute("data-size") || "",
      caption: node.getAttribute("data-caption") || "",
    };
  }

  function register(Quill) {
    const BlockEmbed = Quill.import("blots/block/embed");

    class PhotoBlot extends BlockEmbed {
      static create(value) {
        const node = super.create();
        node.setAttribute("contenteditable", "false");
        node.setAttribute("data-photo", value.id);
        if (value.size) {
          node.setAttribute("data-size", value.size);
        }
        if (value.caption) {
          node.setAttribute("data-caption", value.caption);
        }
        fillFigure(node, value);
        addControls(node, value);
        return node;
      }

      static value(node) {
        return readReference(node);
      }

      // What getSemanticHTML() stores: the reference alone.
      html() {
        return reference(PhotoBlot.value(this.domNode));
      }
    }
    PhotoBlot.blotName = "photo";
    PhotoBlot.tagName = "FIGURE";
    PhotoBlot.className = "ql-photo";

    class GalleryBlot extends BlockEmbed {
      static create(photos) {
        const node = super.create();
        node.setAttribute("contenteditable", "false");
        photos.forEach(function (value) {
          const figure = document.createElement("figure");
          figure.setAttribute("data-photo", value.id);
          fillFigure(figure, value);
          node.append(figure);
        });
        return node;
      }

      static value(node) {
        return Array.from(node.querySelectorAll("figure[data-photo]")).map(readReference).filter(Boolean);
      }

      html() {
        return '<div data-gallery="">' + GalleryBlot.value(this.domNode).map(reference).join("") + "</div>";
      }
    }
    GalleryBlot.blotName = "gallery";
    GalleryBlot.tagName = "DIV";
    GalleryBlot.className = "ql-gallery";

    Quill.register({ "formats/photo": PhotoBlot, "formats/gallery": GalleryBlot }, true);
  }

  // The stored markup, loaded into the editor: references become embeds.
  function addMatchers(quill) {
    const Delta = Quill.import("delta");
    quill.clipboard.addMatcher("div[data-gallery]", function (node) {
      const photos = Array.from(node.querySelectorAll("figure[data-photo]")).map(readReference).filter(Boolean);
      return photos.length ? new Delta().insert({ gallery: photos }) : new Delta();
    });
    quill.clipboard.addMatcher("figure", function (node, delta) {
      const value = readReference(node);
      return value ? new Delta().insert({ photo: value }) : delta;
    });
  }

  function insert(quill, index, photos) {
    photos.forEach(remember);
    const values = photos.map(function (photo) {
      return { id: String(photo.id), size: "", caption: "" };
    });
    if (values.length === 1) {
      quill.insertEmbed(index, "photo", values[0], "user");
    } else {
      quill.insertEmbed(index, "gallery", values, "user");
    }
    quill.setSelection(index + 1, 0, "silent");
  }

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function upload(config, file) {
    const data = new FormData();
    data.append("file", file);
    return fetch(config.uploadUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return { error: "The upload failed (" + response.status + ")." };
        })
        .then(function (answer) {
          if (!response.ok) {
            throw new Error(answer.error || "The upload failed (" + response.status + ").");
          }
          return answer;
        });
    });
  }

  // Files dropped or pasted into the text, or picked in the chooser: into the library,
  // then into the text at ``index``, in the order given.
  function uploadAndInsert(quill, config, index, files) {
    const images = Array.from(files).filter(function (file) {
      return IMAGE_TYPES.includes(file.type);
    });
    if (!images.length) {
      config.say("Only image files (JPEG, PNG, WebP, GIF, AVIF) can go into the text.");
      return Promise.resolve();
    }
    config.say("Uploading " + images.length + (images.length === 1 ? " photo…" : " photos…"));
    return Promise.all(
      images.map(function (file) {
        return upload(config, file);
      })
    ).then(
      function (photos) {
        insert(quill, index, photos);
        config.say(
          photos.length === 1
            ? "Photo added to the library and the text. Check its alt text in the library."
            : photos.length + " photos added to the library and the text, as a gallery."
        );
      },
      function (error) {
        config.say(error.message);
      }
    );
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(function ([name, value]) {
      node.setAttribute(name, value);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // The library, searched in a dialog: one photo chosen makes a figure, several a gallery.
  function chooser(quill, config) {
    const dialog = element("dialog", { class: "photo-chooser", "aria-label": "Photos from the library" });
    const heading = element("h2", {}, "Photos from the library");
    const search = element("input", {
      type: "search",
      placeholder: "Search by title, caption, credit…",
      "data-chooser-query": "",
    });
    const results = element("ul", { class: "photo-chooser-results" });
    const more = element("button", { type: "button", class: "button", "data-chooser-more": "", hidden: "" });
    more.textContent = "More photos";
    const status = element("p", { class: "help", role: "status" });
    const files = element("input", {
      type: "file",
      accept: IMAGE_TYPES.join(","),
      multiple: "",
      "data-chooser-files": "",
    });
    const filesLabel = element("label", { class: "photo-chooser-upload" }, "Upload new photos: ");
    filesLabel.append(files);
    const cancel = element("button", { type: "button", class: "button" }, "Cancel");
    const choose = element("button", {
      type: "button",
      class: "button default",
      "data-chooser-insert": "",
      disabled: "",
    });
    const actions = element("p", { class: "photo-chooser-actions" });
    actions.append(filesLabel, cancel, choose);
    dialog.append(heading, search, results, more, status, actions);
    document.body.append(dialog);

    const picked = new Map();
    let page = 1;
    let index = 0;
    let timer = null;

    function showPicked() {
      choose.disabled = picked.size === 0;
      choose.textContent = picked.size > 1 ? "Insert a gallery of " + picked.size : "Insert";
    }

    function card(photo) {
      const button = element("button", {
        type: "button",
        "aria-pressed": "false",
        "data-chooser-photo": photo.id,
      });
      const image = element("img", { src: photo.thumbnail, alt: "" });
      const words = element("span", {}, photo.title || photo.caption || photo.alt_text || "Photo " + photo.id);
      button.append(image, words);
      button.addEventListener("click", function () {
        if (picked.has(photo.id)) {
          picked.delete(photo.id);
        } else {
          picked.set(photo.id, photo);
        }
        button.setAttribute("aria-pressed", String(picked.has(photo.id)));
        showPicked();
      });
      const item = element("li");
      item.append(button);
      return item;
    }

    function load(reset) {
      page = reset ? 1 : page + 1;
      const url = new URL(config.chooseUrl, window.location.href);
      url.searchParams.set("q", search.value.trim());
      url.searchParams.set("page", String(page));
      status.textContent = "Searching…";
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("The library did not answer (" + response.status + ").");
          }
          return response.json();
        })
        .then(function (answer) {
          if (reset) {
            results.replaceChildren();
          }
          answer.results.forEach(function (photo) {
            results.append(card(photo));
          });
          more.hidden = !answer.more;
          status.textContent = results.children.length ? "" : "No photo in the library matches.";
        })
        .catch(function (error) {
          status.textContent = error.message;
        });
    }

    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        load(true);
      }, 250);
    });
    more.addEventListener("click", function () {
      load(false);
    });
    cancel.addEventListener("click", function () {
      dialog.close();
    });
    choose.addEventListener("click", function () {
      insert(quill, index, Array.from(picked.values()));
      dialog.close();
    });
    files.addEventListener("change", function () {
      const chosen = Array.from(files.files);
      files.value = "";
      dialog.close();
      uploadAndInsert(quill, config, index, chosen);
    });

    return function open() {
      index = quill.getSelection(true).index;
      picked.clear();
      showPicked();
      search.value = "";
      dialog.showModal();
      load(true);
      search.focus();
    };
  }

  // Called by editor.js for each editor whose textarea names the library's views.
  function attach(quill, textarea, say) {
    const config = {
      uploadUrl: textarea.getAttribute("data-photo-upload"),
      chooseUrl: textarea.getAttribute("data-photo-choose"),
      say: say,
    };
    JSON.parse(textarea.getAttribute("data-body-photos") || "[]").forEach(remember);
    addMatchers(quill);
    quill.getModule("uploader").options.handler = function (range, files) {
      uploadAndInsert(quill, config, range.index, files);
    };
    // A pasted image often comes with HTML naming its address elsewhere, which the
    // clipboard would take instead of the file: the file wins.
    quill.root.addEventListener(
      "paste",
      function (event) {
        const pasted = Array.from((event.clipboardData && event.clipboardData.files) || []);
        if (pasted.some((file) => IMAGE_TYPES.includes(file.type))) {
          event.preventDefault();
          event.stopImmediatePropagation();
          uploadAndInsert(quill, config, quill.getSelection(true).index, pasted);
        }
      },
      true
    );
    return chooser(quill, config);
  }

  return { register: register, attach: attach, IMAGE_TYPES: IMAGE_TYPES };
})();
