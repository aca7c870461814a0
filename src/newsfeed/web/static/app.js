// newsfeed: progressive enhancement only; every page works without this file.
(function () {
  "use strict";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // "Show More": fetch the next page as an HTML fragment and append its cards.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.show-more") : null;
    if (!link) return;
    event.preventDefault();
    if (link.dataset.loading) return;
    link.dataset.loading = "1";
    link.textContent = "Loading…";
    var url = link.getAttribute("href");
    fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "fragment=1", { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var list = document.querySelector("#river .cards");
        doc.querySelectorAll(".cards > .card").forEach(function (card) {
          list.appendChild(document.adoptNode(card));
        });
        var holder = link.closest(".more");
        var next = doc.querySelector(".more");
        if (next) holder.replaceWith(document.adoptNode(next));
        else holder.remove();
      })
      .catch(function () {
        window.location.href = url; // fall back to the plain link
      });
  });

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(".card"));
  }

  function select(delta) {
    var all = cards();
    if (!all.length) return;
    var current = document.querySelector(".card.selected");
    var index = current ? all.indexOf(current) + delta : 0;
    index = Math.max(0, Math.min(all.length - 1, index));
    if (current) current.classList.remove("selected");
    all[index].classList.add("selected");
    all[index].scrollIntoView({ block: "nearest" });
  }

  function selected() {
    return document.querySelector(".card.selected") || document.querySelector("article.story");
  }

  function toggleSave() {
    var item = selected();
    if (!item) return;
    var form = item.querySelector("form.save-form");
    if (!form) {
      window.location.href = "/signin?next=" + encodeURIComponent(window.location.pathname);
      return;
    }
    var body = new FormData(form);
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                         headers: { "X-CSRF-Token": csrf() } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        var nowSaved = body.get("value") === "true";
        item.classList.toggle("saved", nowSaved);
        form.querySelector('input[name="value"]').value = nowSaved ? "false" : "true";
        var button = form.querySelector("button");
        button.textContent = nowSaved ? "Saved ★" : "Save ☆";
      });
  }

  function toggleHelp(show) {
    var help = document.getElementById("help");
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".close-help")) toggleHelp(false);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target.isContentEditable) return;
    switch (event.key) {
      case "j": select(1); break;
      case "k": select(-1); break;
      case "o": {
        var card = document.querySelector(".card.selected");
        if (card) window.location.href = card.dataset.href;
        break;
      }
      case "s": toggleSave(); break;
      case "?": toggleHelp(); break;
      case "Escape": toggleHelp(false); break;
      default: return;
    }
    event.preventDefault();
  });
})();
