"use strict";
// Turns every <textarea data-rich-text> in the admin into a Quill editor (static/vendor/quill).
//
// The toolbar and the format list allow only what core/sanitize.py keeps (h2-h4,
// bold, italic, links, block quotes, lists, photos from the library: body-photos.js, and
// embeds: body-embeds.js),
// so what the editor shows is what the page shows. Pasted text (from Word, Google Docs,
// web pages) goes through Quill's clipboard, which keeps those formats and drops every
// other style, class and tag (an image from elsewhere too); the server cleans the saved
// HTML again with bleach.
//
// The textarea stays in the form and receives the editor's HTML on every change, so the
// form posts as usual. A story holding markup the editor cannot represent (a table, a
// figure, code...) opens in HTML mode rather than silently losing it.
(function () {
  const FORMATS = ["header", "bold", "italic", "link", "blockquote", "list", "photo", "gallery", "embed"];
  const TOOLBAR = [
    [{ header: [2, 3, 4, false] }],
    ["bold", "italic", "link"],
    ["blockquote", { list: "ordered" }, { list: "bullet" }],
    ["image", "embed"],
    ["clean"],
  ];
  // Allowed by sanitize.py but not editable visually: their presence means HTML mode.
  // A figure or gallery of library photos is an embed (body-photos.js), as is a video or
  // post of another site (body-embeds.js); another figure is not.
  const HTML_ONLY =
    "table, figure:not([data-photo]):not([data-embed]), pre, code, hr, u, s, sub, sup, small, mark, q, cite, abbr";

  function needsHtmlMode(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content.querySelector(HTML_ONLY) !== null;
  }

  function upgrade(textarea) {
    const wrapper = document.createElement("div");
    wrapper.className = "rich-text";
    const holder = document.createElement("div");
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "rich-text-toggle";
    const note = document.createElement("p");
    note.className = "help rich-text-note";
    textarea.insertAdjacentElement("beforebegin", wrapper);
    wrapper.append(holder, textarea, toggle, note);

    // The image button opens the library's chooser (body-photos.js), set once the
    // editor exists.
    let choosePhotos = function () {};
    let askForEmbed = function () {};
    const quill = new Quill(holder, {
      theme: "snow",
      formats: FORMATS,
      modules: {
        toolbar: {
          container: TOOLBAR,
          handlers: {
            image: function () {
              choosePhotos();
            },
            embed: function () {
              askForEmbed();
            },
          },
        },
      },
    });
    // Pasted or loaded headings keep their rank but stay within h2-h4 (the page's h1 is
    // the headline; sanitize.py drops h1, h5 and h6).
    quill.clipboard.addMatcher(Node.ELEMENT_NODE, function (node, delta) {
      delta.ops.forEach(function (op) {
        if (op.attributes && op.attributes.header) {
          op.attributes.header = Math.min(4, Math.max(2, op.attributes.header));
        }
      });
      return delta;
    });
    choosePhotos = window.BodyPhotos.attach(quill, textarea, function (message) {
      note.textContent = message;
    });
    askForEmbed = window.BodyEmbeds.attach(quill, textarea, function (message) {
      note.textContent = message;
    });
    const editorBox = holder;
    const toolbar = holder.previousElementSibling;
    const embedButton = toolbar.querySelector("button.ql-embed");
    embedButton.textContent = "Embed";
    embedButton.setAttribute("aria-label", "Embed a video, post or document by its address");

    function load() {
      // Through the clipboard, as a paste would be: unknown markup is dropped.
      quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
    }

    function showVisual(visual) {
      textarea.hidden = visual;
      editorBox.hidden = !visual;
      toolbar.hidden = !visual;
      toggle.textContent = visual ? "Edit HTML" : "Back to the visual editor";
    }

    quill.on("text-change", function () {
      textarea.value = quill.getLength() > 1 ? quill.getSemanticHTML() : "";
    });
    // Whoever sets the textarea's value (autosave.js restoring a draft) asks the
    // editor to show it.
    textarea.addEventListener("rich-text:reload", function () {
      if (!editorBox.hidden) {
        load();
      }
    });

    toggle.addEventListener("click", function () {
      if (textarea.hidden) {
        showVisual(false);
        note.textContent = "";
        return;
      }
      if (
        needsHtmlMode(textarea.value) &&
        !window.confirm("The visual editor cannot keep tables, figures or code, and will drop them. Continue?")
      ) {
        return;
      }
      load();
      showVisual(true);
    });

    if (needsHtmlMode(textarea.value)) {
      note.textContent =
        "This story contains markup the visual editor cannot keep (such as a table or a figure), so it opens as HTML.";
      showVisual(false);
    } else {
      load();
      showVisual(true);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    window.BodyPhotos.register(Quill);
    window.BodyEmbeds.register(Quill);
    document.querySelectorAll("textarea[data-rich-text]").forEach(upgrade);
  });
})();
