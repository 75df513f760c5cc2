"use strict";
// Embeds that load nothing of another site until the reader asks (embeds/rendering.py).
//
// Each <figure data-embed-player> holds a link to the original (its thumbnail, kept in
// our library, and its title): that is all a reader without JavaScript gets. Here the
// link becomes a button saying what it does ("Play video", "Load post"); pressing it
// puts the provider's player in a frame in its place, with the embed's proportions.
// Only then does the browser ask the provider for anything; the page's
// Content-Security-Policy lets in frames from exactly the players of its embeds.
(function () {
  // What the players ask for: none gets the camera, the microphone or our cookies.
  const ALLOW = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  // Posts and documents that did not say how big they are: taller than wide.
  const DEFAULT_RATIO = { video: [16, 9], audio: [16, 5] };

  function ratioOf(figure) {
    const width = parseInt(figure.dataset.embedWidth, 10);
    const height = parseInt(figure.dataset.embedHeight, 10);
    if (width > 0 && height > 0) {
      return [width, height];
    }
    const kind = figure.classList.contains("embed-video") ? "video" : figure.classList.contains("embed-audio") ? "audio" : "";
    return DEFAULT_RATIO[kind] || [4, 5];
  }

  function player(figure) {
    const frame = document.createElement("iframe");
    const [width, height] = ratioOf(figure);
    frame.src = figure.dataset.embedPlayer;
    frame.title = figure.dataset.embedTitle;
    frame.width = String(width);
    frame.height = String(height);
    frame.allow = ALLOW;
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "embed-frame";
    // Set through the CSSOM, which the policy's style-src allows (a style attribute it would not).
    frame.style.aspectRatio = width + " / " + height;
    return frame;
  }

  function upgrade(figure) {
    const link = figure.querySelector(".embed-original");
    if (!link) {
      return;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "embed-load";
    button.append(...link.childNodes);
    const label = document.createElement("span");
    label.className = "embed-action";
    label.textContent = figure.dataset.embedAction;
    button.append(label);
    button.setAttribute("aria-label", figure.dataset.embedAction + ": " + figure.dataset.embedTitle);
    button.addEventListener("click", function () {
      const frame = player(figure);
      button.replaceWith(frame);
      figure.classList.add("embed-loaded");
      frame.focus();
    });
    link.replaceWith(button);
  }

  // The facades in ``root``; with ``origins``, only those whose player loads from one of
  // them (a live story's new entries: the page's policy lets in only those).
  function start(root, origins) {
    root.querySelectorAll("figure[data-embed-player]").forEach(function (figure) {
      if (!origins || origins.indexOf(new URL(figure.dataset.embedPlayer).origin) !== -1) {
        upgrade(figure);
      }
    });
  }

  // For content added later (static/js/live.js).
  window.newsroomEmbeds = { upgrade: start };
  // Deferred, so the document is parsed; a second copy of the script finds nothing left.
  start(document);
})();
