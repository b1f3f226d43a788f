// buildtracker dashboard: the live parts. No library, nothing from another host.
// - every page with data-stream on <body> follows the activity feed with
//   server-sent events (the browser resends the last row id on reconnect);
// - the feed page puts new rows on top;
// - the board refetches its columns when a task row arrives and marks the
//   card that moved.
"use strict";
(() => {
  const body = document.body;
  const live = document.getElementById("live");
  const board = document.getElementById("board-columns");
  const feed = document.getElementById("feed-list");
  const moved = new Set();
  let refresh = null;

  for (const select of document.querySelectorAll("form.filters select")) {
    select.addEventListener("change", () => select.form.submit());
  }

  function state(text, on) {
    if (live) {
      live.textContent = text;
      live.className = on ? "live on" : "live off";
    }
  }

  function refreshBoard() {
    refresh = null;
    fetch(board.dataset.fragment, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        board.innerHTML = html;
        for (const id of moved) {
          const card = document.getElementById("task-" + id);
          if (card) card.classList.add("moved");
        }
        moved.clear();
        board.dataset.refreshed = String(Number(board.dataset.refreshed || "0") + 1);
      })
      .catch(() => state("could not refresh the board", false));
  }

  const url = body.dataset.stream;
  if (!url || !("EventSource" in window)) return;
  const source = new EventSource(url);
  source.addEventListener("open", () => state("live", true));
  source.addEventListener("error", () => state("reconnecting…", false));
  source.addEventListener("unauthorized", () => {
    source.close();
    state("signed out", false);
  });
  source.addEventListener("activity", (message) => {
    const row = JSON.parse(message.data);
    if (feed) {
      feed.insertAdjacentHTML("afterbegin", row.html);
      if (feed.firstElementChild) feed.firstElementChild.classList.add("new");
      while (feed.children.length > 300) feed.lastElementChild.remove();
      const empty = document.getElementById("feed-empty");
      if (empty) empty.remove();
    }
    if (board && row.source_type === "build_task") {
      if (row.source_id) moved.add(row.source_id);
      if (refresh === null) refresh = setTimeout(refreshBoard, 100);
    }
  });
})();
