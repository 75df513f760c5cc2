/* A live story follows its coverage without a reload (templates/live/stream.html).

   While the stream's data-state is "open", the page polls data-poll-url every
   data-poll-seconds (10 by default) with the browser's own If-None-Match (an
   unchanged answer is a 304 from the page cache), and not while the tab is hidden.
   The answer (live.stream.poll_answer) lists the newest entries with their
   versions, the pinned ones and the key points. New entries wait behind a button
   ("3 new updates") so the text does not move under the reader; an entry whose
   version changed (an edit, a correction, a pin) is fetched again and put in its
   place at once; one the answer no longer lists is removed. When coverage ends the
   status line says so and polling stops. Without this file the page is complete
   on reload. */
(function () {
  "use strict";

  var root = document.querySelector('.live-stream[data-state="open"]');
  if (!root || !window.fetch) {
    return;
  }
  var pollUrl = root.dataset.pollUrl;
  var fragmentPrefix = root.dataset.fragmentPrefix;
  var seconds = parseFloat(root.dataset.pollSeconds) || 10;
  var pageSize = parseInt(root.dataset.pageSize, 10) || 20;
  var list = root.querySelector(".live-entries");
  var button = root.querySelector(".live-new-updates");
  var keyPoints = root.querySelector(".live-key-points");
  var status = root.querySelector(".live-status");
  var waiting = []; // ids of new entries behind the button, newest first
  var timer = null;
  var polling = false;
  var ended = false;

  function shown() {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > .live-entry"));
  }

  function idOf(article) {
    return parseInt(article.id.replace("entry-", ""), 10);
  }

  function isPinned(article) {
    return article.dataset.pinned === "true";
  }

  // Before which shown entry ``article`` goes: pinned ones first, then newest first.
  function comesBefore(article, other) {
    if (isPinned(article) !== isPinned(other)) {
      return isPinned(article);
    }
    var time = parseInt(article.dataset.time, 10);
    var otherTime = parseInt(other.dataset.time, 10);
    return time > otherTime || (time === otherTime && idOf(article) > idOf(other));
  }

  function place(article) {
    var empty = list.querySelector(".live-empty");
    if (empty) {
      empty.remove();
    }
    var next = shown().find(function (other) {
      return other !== article && comesBefore(article, other);
    });
    list.insertBefore(article, next || null);
  }

  function fetchEntry(id) {
    return fetch(fragmentPrefix + id + "/fragment/", { cache: "no-cache" }).then(function (response) {
      if (!response.ok) {
        return null; // gone since the answer (unpublished, deleted): the next poll says
      }
      return response.text().then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        return template.content.querySelector(".live-entry");
      });
    });
  }

  function refresh(article) {
    return fetchEntry(idOf(article)).then(function (fresh) {
      if (!fresh || !article.isConnected) {
        return;
      }
      var moved = isPinned(fresh) !== isPinned(article) || fresh.dataset.time !== article.dataset.time;
      if (moved) {
        article.remove();
        place(fresh);
      } else {
        article.replaceWith(fresh);
      }
    });
  }

  function showWaiting() {
    var count = waiting.length;
    button.hidden = count === 0;
    button.textContent = count === 1 ? "1 new update" : count + " new updates";
  }

  function showKeyPoints(points) {
    var items = keyPoints.querySelector("ul");
    items.textContent = "";
    points.forEach(function (point) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#entry-" + point[0];
      link.textContent = point[1];
      item.appendChild(link);
      items.appendChild(item);
    });
    keyPoints.hidden = points.length === 0;
  }

  function endCoverage() {
    ended = true;
    root.dataset.state = "ended";
    status.textContent = "Coverage ended";
    clearTimeout(timer);
  }

  function apply(answer) {
    var versions = new Map(answer.entries);
    var pinned = new Set(answer.pinned);
    var articles = shown();
    var onPage = new Set(articles.map(idOf));
    // Shown entries older than the oldest one the answer lists may simply be out of
    // its window: only those above it, or all when the answer is complete, are gone.
    var lastListed = -1;
    articles.forEach(function (article, index) {
      if (!isPinned(article) && versions.has(idOf(article))) {
        lastListed = index;
      }
    });
    articles.forEach(function (article, index) {
      var id = idOf(article);
      if (!versions.has(id)) {
        if (isPinned(article) || answer.complete || index < lastListed) {
          article.remove();
        }
      } else if (String(versions.get(id)) !== article.dataset.version || pinned.has(id) !== isPinned(article)) {
        refresh(article);
      }
    });
    // New: listed above the newest entry the page shows (and pinned ones it lacks);
    // those listed below it are older ones, a page further down.
    var newest = answer.entries.findIndex(function (entry) {
      return onPage.has(entry[0]) && !pinned.has(entry[0]);
    });
    var above = newest === -1 ? answer.entries.slice(0, pageSize) : answer.entries.slice(0, newest);
    waiting = above
      .map(function (entry) {
        return entry[0];
      })
      .concat(answer.pinned)
      .filter(function (id, index, ids) {
        return !onPage.has(id) && ids.indexOf(id) === index;
      });
    showWaiting();
    showKeyPoints(answer.key_points);
    if (answer.ended) {
      endCoverage();
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (!ended && !document.hidden) {
      timer = setTimeout(poll, seconds * 1000);
    }
  }

  function poll() {
    if (polling || ended) {
      return;
    }
    polling = true;
    fetch(pollUrl, { cache: "no-cache", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer) {
          apply(answer);
        }
      })
      .catch(function () {
        // Offline for a moment: the next poll tries again.
      })
      .then(function () {
        polling = false;
        schedule();
      });
  }

  button.addEventListener("click", function () {
    var ids = waiting;
    waiting = [];
    showWaiting();
    Promise.all(ids.map(fetchEntry)).then(function (articles) {
      var first = null;
      articles.forEach(function (article) {
        if (article && !document.getElementById(article.id)) {
          place(article);
          first = first && comesBefore(first, article) ? first : article;
        }
      });
      if (first) {
        // The button is gone: the reader carries on from the newest update.
        first.tabIndex = -1;
        first.focus();
      }
    });
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      clearTimeout(timer);
    } else {
      poll();
    }
  });

  schedule();
})();
