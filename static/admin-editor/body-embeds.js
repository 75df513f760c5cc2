"use strict";
// Embeds in the body editor (static/admin-editor/editor.js).
//
// An address pasted alone on its line becomes an embed when the story is saved
// (embeds/references.py), so the toolbar's Embed button only asks for an address and
// puts it on a line of its own. A saved embed is a reference, <figure data-embed="12">
// </figure> (core/sanitize.py keeps only that): here it is a Quill embed showing what
// the provider said of it, or that it is still being fetched. The textarea's
// data-body-embeds lists the embeds its body already shows.
window.BodyEmbeds = (function () {
  // What the editor knows of each embed, by id: {url, title, provider_name, status}.
  const known = new Map();
  const STATUS = { pending: " (fetching…)", failed: " (the provider did not answer: shown as a link)" };

  function embedId(node) {
    const id = node.getAttribute("data-embed") || "";
    return /^[1-9][0-9]*$/.test(id) ? id : null;
  }

  function describe(node, id) {
    const embed = known.get(id) || {};
    const words = document.createElement("span");
    const name = embed.title || embed.url || "Embed " + id;
    words.textContent = (embed.provider_name ? embed.provider_name + ": " : "") + name + (STATUS[embed.status] || "");
    node.append(words);
  }

  function register(Quill) {
    const BlockEmbed = Quill.import("blots/block/embed");

    class EmbedBlot extends BlockEmbed {
      static create(id) {
        const node = super.create();
        node.setAttribute("contenteditable", "false");
        node.setAttribute("data-embed", id);
        describe(node, id);
        return node;
      }

      static value(node) {
        return embedId(node);
      }

      // What getSemanticHTML() stores: the reference alone.
      html() {
        return '<figure data-embed="' + EmbedBlot.value(this.domNode) + '"></figure>';
      }
    }
    EmbedBlot.blotName = "embed";
    EmbedBlot.tagName = "FIGURE";
    EmbedBlot.className = "ql-embed";
    Quill.register({ "formats/embed": EmbedBlot }, true);
  }

  // Called by editor.js for each editor; returns what the toolbar's Embed button does.
  function attach(quill, textarea, say) {
    JSON.parse(textarea.getAttribute("data-body-embeds") || "[]").forEach(function (embed) {
      known.set(String(embed.id), embed);
    });
    const Delta = Quill.import("delta");
    quill.clipboard.addMatcher("figure[data-embed]", function (node) {
      const id = embedId(node);
      return id ? new Delta().insert({ embed: id }) : new Delta();
    });
    return function askForAddress() {
      const address = (window.prompt("Address of the video, post, track or document to embed:") || "").trim();
      if (!address) {
        return;
      }
      if (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(address)) {
        say("“" + address + "” is not a web address (https://…): nothing was embedded.");
        return;
      }
      const index = quill.getSelection(true).index;
      const [, offset] = quill.getLine(index);
      // On a line of its own: that is what makes it an embed when the story is saved.
      quill.insertText(index, (offset > 0 ? "\n" : "") + address + "\n", "user");
      quill.setSelection(index + address.length + (offset > 0 ? 2 : 1), 0, "silent");
      say("The address is on a line of its own: it becomes an embed when the story is saved.");
    };
  }

  return { register: register, attach: attach };
})();
