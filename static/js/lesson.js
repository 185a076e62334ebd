// Lesson page: open notes inline (click, Enter or Space; Escape closes) and report reading
// progress. Without this file the page still works: notes are footnotes with back-links and a
// form marks the reading as read.
(function () {
  "use strict";

  var reading = document.getElementById("reading");
  if (!reading) { return; }
  var live = document.getElementById("note-live");

  function closeNote(trigger, restoreFocus) {
    var panel = document.getElementById("inline-" + trigger.dataset.note);
    if (panel) { panel.remove(); }
    trigger.setAttribute("aria-expanded", "false");
    if (restoreFocus) { trigger.focus(); }
  }

  function openNote(trigger) {
    var id = trigger.dataset.note;
    var source = document.getElementById("note-" + id);
    if (!source) { return; }
    var body = source.querySelector(".note-body");
    var title = source.querySelector(".note-title");
    var panel = document.createElement("div");
    panel.id = "inline-" + id;
    panel.className = "inline-note kind-" + (trigger.className.match(/\banno-(\w+)/) || ["", ""])[1];
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", trigger.dataset.kind + " note: " + title.textContent);
    panel.tabIndex = -1;
    panel.dataset.opened = String(Date.now() + Math.random());
    var heading = document.createElement("p");
    heading.className = "mb-1";
    var kind = document.createElement("span");
    kind.className = "inline-note-kind";
    kind.textContent = trigger.dataset.kind + " ";
    var strong = document.createElement("strong");
    strong.textContent = title.textContent;
    heading.appendChild(kind);
    heading.appendChild(strong);
    panel.appendChild(heading);
    // The body was rendered by the server from Markdown and sanitised with nh3.
    panel.appendChild(body.cloneNode(true));
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn-sm btn-outline-secondary";
    close.textContent = "Close note";
    close.addEventListener("click", function () { closeNote(trigger, true); });
    panel.appendChild(close);
    var passage = trigger.closest(".passage");
    passage.insertAdjacentElement("afterend", panel);
    trigger.setAttribute("aria-expanded", "true");
    if (live) { live.textContent = trigger.dataset.kind + " note opened: " + title.textContent; }
    panel.focus();
  }

  function toggle(trigger) {
    if (trigger.getAttribute("aria-expanded") === "true") {
      closeNote(trigger, true);
    } else {
      openNote(trigger);
    }
  }

  Array.prototype.forEach.call(reading.querySelectorAll("a.anno"), function (trigger) {
    trigger.setAttribute("role", "button");
    trigger.setAttribute("aria-expanded", "false");
    trigger.setAttribute("aria-controls", "inline-" + trigger.dataset.note);
    trigger.addEventListener("click", function (event) {
      event.preventDefault();
      toggle(trigger);
    });
    trigger.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        toggle(trigger);
      }
    });
  });

  // Go-deeper notes are plain text until the reader asks for them; the toggle marks them
  // like the core notes (and opens their list), and unmarks them again.
  var deeperToggle = document.getElementById("deeper-toggle");
  var deeperList = document.getElementById("deeper-notes");
  var deeperSpans = reading.querySelectorAll(".deeper-span");
  var deeperShown = false;

  function showDeeper(show) {
    deeperShown = show;
    deeperToggle.setAttribute("aria-pressed", show ? "true" : "false");
    deeperToggle.textContent = show ? "Unmark go-deeper notes in the text"
      : "Mark go-deeper notes in the text too";
    Array.prototype.forEach.call(deeperSpans, function (span) {
      if (!show && span.getAttribute("aria-expanded") === "true") { closeNote(span, false); }
      span.classList.toggle("anno", show);
      span.classList.toggle(span.dataset.kindClass, show);
      Array.prototype.forEach.call(span.querySelectorAll("[hidden], .anno-marker, .visually-hidden"),
        function (child) { child.hidden = !show; });
      if (show) {
        span.setAttribute("role", "button");
        span.setAttribute("tabindex", "0");
        span.setAttribute("aria-expanded", "false");
        span.setAttribute("aria-controls", "inline-" + span.dataset.note);
      } else {
        ["role", "tabindex", "aria-expanded", "aria-controls"].forEach(function (name) {
          span.removeAttribute(name);
        });
      }
    });
    if (show && deeperList) { deeperList.open = true; }
    if (live) {
      live.textContent = show ? deeperSpans.length + " go-deeper notes marked in the text."
        : "Go-deeper notes unmarked.";
    }
  }

  if (deeperToggle && deeperSpans.length) {
    deeperToggle.hidden = false;
    deeperToggle.addEventListener("click", function () { showDeeper(!deeperShown); });
    Array.prototype.forEach.call(deeperSpans, function (span) {
      span.addEventListener("click", function () { if (deeperShown) { toggle(span); } });
      span.addEventListener("keydown", function (event) {
        if (!deeperShown) { return; }
        if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
          event.preventDefault();
          toggle(span);
        } else if (event.key === "Escape" && span.getAttribute("aria-expanded") === "true") {
          event.preventDefault();
          closeNote(span, true);
        }
      });
    });
  }

  // Escape closes the note opened last, wherever focus is (in the note, on its mark, or
  // anywhere else on the page). Focus returns to the mark only if it was in the note or on
  // the mark; otherwise it stays where the reader is.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) { return; }
    var open = reading.querySelectorAll("[data-note][aria-expanded='true']");
    if (!open.length) { return; }
    var last = null;
    open.forEach(function (trigger) {
      var panel = document.getElementById("inline-" + trigger.dataset.note);
      if (panel && (!last || Number(panel.dataset.opened) > Number(last.panel.dataset.opened))) {
        last = { trigger: trigger, panel: panel };
      }
    });
    if (!last) { return; }
    event.preventDefault();
    var active = document.activeElement;
    var inside = active === last.trigger || last.panel.contains(active);
    closeNote(last.trigger, inside);
  });

  // Reading progress: passages that were on screen are reported in batches with sendBeacon,
  // which survives the page being closed. Reports only add, so a lost or repeated one is safe.
  var url = reading.dataset.progressUrl;
  var form = document.getElementById("mark-read-form");
  var tokenInput = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!url || !tokenInput || !("IntersectionObserver" in window)) { return; }
  var pending = new Set();
  var activeSince = document.visibilityState === "visible" ? Date.now() : null;
  var seconds = 0;
  var timer = null;

  function takeSeconds() {
    if (activeSince !== null) {
      seconds += (Date.now() - activeSince) / 1000;
      activeSince = document.visibilityState === "visible" ? Date.now() : null;
    }
    var whole = Math.floor(seconds);
    seconds -= whole;
    return whole;
  }

  function flush() {
    timer = null;
    var spent = takeSeconds();
    if (!pending.size && !spent) { return; }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", tokenInput.value);
    data.append("seconds", String(spent));
    pending.forEach(function (order) { data.append("seen", String(order)); });
    pending.clear();
    if (navigator.sendBeacon && navigator.sendBeacon(url, data)) { return; }
    fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true });
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      // A passage taller than the screen never shows 60% of itself: half a screen counts.
      var seen = entry.intersectionRatio >= 0.6 ||
        entry.intersectionRect.height >= window.innerHeight * 0.5;
      if (entry.isIntersecting && seen) {
        pending.add(Number(entry.target.dataset.order));
        observer.unobserve(entry.target);
      }
    });
    if (pending.size && timer === null) { timer = window.setTimeout(flush, 1500); }
  }, { threshold: [0, 0.25, 0.5, 0.6, 0.75, 1] });
  Array.prototype.forEach.call(reading.querySelectorAll(".passage"), function (p) {
    observer.observe(p);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    } else {
      activeSince = Date.now();
    }
  });
  window.addEventListener("pagehide", flush);
  window.setInterval(flush, 30000);
})();

// Teaching staff: selecting words in a passage fills in the "Add a note" form.
(function () {
  "use strict";
  var form = document.getElementById("note-form");
  var reading = document.getElementById("reading");
  if (!form || !reading) { return; }
  var passage = form.querySelector("select[name=passage]");
  var quote = form.querySelector("input[name=quote]");
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.anchorNode) { return; }
    var node = selection.anchorNode.nodeType === 1 ? selection.anchorNode
      : selection.anchorNode.parentElement;
    var holder = node && node.closest(".passage");
    if (!holder || !reading.contains(holder)) { return; }
    passage.value = holder.dataset.order;
    quote.value = selection.toString().trim();
  });
})();
