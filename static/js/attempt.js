// Attempt page: save every change as the student works (debounced, on blur, before unload),
// each save carrying a version so an older save never overwrites a newer one. Failed saves are
// shown and retried. Without this file the form's Save button posts every answer.
(function () {
  "use strict";

  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var saveUrl = form.dataset.saveUrl;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("save-status");
  var state = {};  // question id -> {version, sentVersion, timer, inFlight, dirty}
  var closed = false;

  function say(text, kind) {
    status.textContent = text;
    status.className = "save-status alert py-1 px-2 " + (kind || "alert-light");
  }

  function checkedValues(fieldset, name, asNumber) {
    var out = [];
    fieldset.querySelectorAll("input[name='" + name + "']:checked").forEach(function (el) {
      out.push(asNumber ? Number(el.value) : el.value);
    });
    return out;
  }

  function answerOf(fieldset) {
    var id = fieldset.dataset.question;
    var name = "q-" + id;
    var type = fieldset.dataset.type;
    var one = fieldset.querySelector("input[name='" + name + "']:checked");
    switch (type) {
      case "single": case "truefalse": return one ? one.value : null;
      case "multiple": return checkedValues(fieldset, name, false);
      case "evidence": return checkedValues(fieldset, name, true);
      case "twopart":
        var a = fieldset.querySelector("input[name='" + name + "-a']:checked");
        return { a: a ? a.value : null, b: checkedValues(fieldset, name + "-b", true) };
      case "matching":
        var pairs = {};
        fieldset.querySelectorAll("select[data-key]").forEach(function (sel) {
          pairs[sel.dataset.key] = sel.value;
        });
        return pairs;
      case "ordering":
        var texts = [];
        fieldset.querySelectorAll("[data-ordering] > li").forEach(function (li) {
          texts.push(li.dataset.text);
        });
        return texts;
      default:
        var input = fieldset.querySelector("[name='" + name + "']");
        return input ? input.value : null;
    }
  }

  function entry(fieldset) {
    var id = fieldset.dataset.question;
    if (!state[id]) {
      // A refusal the server wrote into the page (a re-shown form) counts as unsaved too.
      var refusedBox = document.getElementById("q-" + id + "-error");
      state[id] = { version: Number(fieldset.dataset.version || 0), timer: null,
                    inFlight: false, dirty: false, retry: 1000,
                    refused: !!(refusedBox && !refusedBox.hidden) };
    }
    return state[id];
  }

  function send(fieldset, keepalive) {
    var s = entry(fieldset);
    if (closed || s.inFlight || !s.dirty) { return; }
    s.dirty = false;
    var answer = JSON.stringify(answerOf(fieldset));
    // A text field fires "change" when it loses focus, after its typing was already saved:
    // the same answer again would only cost the server a request.
    if (answer === s.lastSent) { return; }
    s.lastSent = answer;
    s.inFlight = true;
    s.version += 1;
    var version = s.version;
    var id = fieldset.dataset.question;
    say("Saving…");
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: '{"question": ' + Number(id) + ', "answer": ' + answer + ', "version": ' + version + "}"
    }).then(function (response) {
      s.inFlight = false;
      if (response.ok) {
        s.retry = 1000;
        s.waiting = false;
        if (s.refused) { s.refused = false; showError(fieldset, ""); }
        dropDraft(fieldset);
        fieldset.dataset.version = String(version);
        if (s.dirty) { send(fieldset); }
        var left = pendingCount();
        if (left) {
          say("Saved. " + left + " more answer" + (left > 1 ? "s are" : " is") +
              " waiting to be saved…", "alert-warning");
        } else {
          say("All changes saved.", "alert-success");
        }
        return;
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 409) {
          s.version = Math.max(s.version, body.version || 0);
          say("This answer was changed in another tab or window. Reload the page to see " +
              "the newest saved answer.", "alert-warning");
        } else if (response.status === 410) {
          closed = true;
          say(body.error || "This attempt is closed; answers can no longer be saved.",
              "alert-danger");
        } else if (response.status === 400) {
          // Refused (an essay over its word limit, say): the text stays in the page, marked
          // unsaved, so leaving warns and "Review and submit" shows it again with the reason.
          s.refused = true;
          var written = JSON.parse(answer);
          if (typeof written === "string") { keepDraft(fieldset, written); }
          var reason = body.error || "This answer could not be saved.";
          showError(fieldset, "Not saved: " + reason);
          say("Question " + fieldset.dataset.number + " is not saved: " + reason +
              " What you wrote is kept on this page.", "alert-danger");
        } else {
          throw new Error("HTTP " + response.status);
        }
      });
    }).catch(function () {
      s.inFlight = false;
      s.dirty = true;
      s.lastSent = null;  // not acknowledged: the retry must send it again
      s.waiting = true;
      say("Not saved: the connection failed. Retrying…", "alert-danger");
      window.setTimeout(function () { send(fieldset); }, s.retry);
      s.retry = Math.min(s.retry * 2, 15000);
    });
  }

  // Answers not yet acknowledged by the server: "All changes saved" only when this is 0.
  function pendingCount() {
    var count = 0;
    Object.keys(state).forEach(function (id) {
      var s = state[id];
      if (s.dirty || s.inFlight || s.waiting || s.refused) { count += 1; }
    });
    return count;
  }

  function showError(fieldset, text) {
    var box = document.getElementById("q-" + fieldset.dataset.question + "-error");
    box.textContent = text;
    box.hidden = !text;
    var ids = "q-" + fieldset.dataset.question + "-prompt" + (text ? " " + box.id : "");
    fieldset.setAttribute("aria-describedby", ids);
    fieldset.querySelectorAll("textarea, input[type=text]").forEach(function (el) {
      if (text) { el.setAttribute("aria-invalid", "true"); } else { el.removeAttribute("aria-invalid"); }
    });
  }

  function changed(fieldset, delay) {
    var s = entry(fieldset);
    s.dirty = true;
    window.clearTimeout(s.timer);
    s.timer = window.setTimeout(function () { send(fieldset); }, delay);
  }

  // A refused text answer (an essay over its word limit) is also kept in this tab's
  // sessionStorage, so a reload or a visit back in the same tab shows it again, refused
  // again with its reason, instead of the older saved answer. Only while the server still
  // holds the version it was refused against: a save from another tab meanwhile wins.
  // Closing the tab clears it, so nothing lingers on a shared computer.
  function draftKey(fieldset) { return "lectio-refused " + saveUrl + " " + fieldset.dataset.question; }
  function keepDraft(fieldset, text) {
    try {
      window.sessionStorage.setItem(draftKey(fieldset), JSON.stringify(
        { text: text, version: fieldset.dataset.version || "0" }));
    } catch (e) { /* storage off or full: the text is still on this page */ }
  }
  function dropDraft(fieldset) {
    try { window.sessionStorage.removeItem(draftKey(fieldset)); } catch (e) { /* off */ }
  }
  function restoreDraft(fieldset) {
    var field = fieldset.querySelector("textarea[name='q-" + fieldset.dataset.question +
                                       "'], input[type=text][name='q-" + fieldset.dataset.question + "']");
    var draft = null;
    try { draft = JSON.parse(window.sessionStorage.getItem(draftKey(fieldset))); } catch (e) { return; }
    if (!field || !draft || typeof draft.text !== "string") { return; }
    if (draft.version !== (fieldset.dataset.version || "0")) { dropDraft(fieldset); return; }
    if (field.value !== draft.text) {
      field.value = draft.text;
      // As if typed: the word count follows, and autosave sends it (and shows the refusal).
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
    fieldset.addEventListener("input", function () { changed(fieldset, 800); });
    fieldset.addEventListener("change", function () { changed(fieldset, 100); });
    fieldset.addEventListener("focusout", function () {
      if (entry(fieldset).dirty) { changed(fieldset, 0); }
    });
    var list = fieldset.querySelector("[data-ordering]");
    if (list) { enhanceOrdering(fieldset, list); }
    fieldset.querySelectorAll("textarea[data-word-counter]").forEach(countWordsIn);
    restoreDraft(fieldset);
  });

  // Words counted as the server counts them (runs of non-space). The visible count follows
  // every keystroke; the live region speaks only when the answer crosses a limit, so a
  // screen reader is not interrupted at every word.
  function words(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function countWordsIn(textarea) {
    var base = textarea.id.replace(/-input$/, "");
    var shown = document.getElementById(base + "-count");
    var live = document.getElementById(base + "-count-live");
    var low = Number(textarea.dataset.minWords || 0);
    var high = textarea.dataset.maxWords ? Number(textarea.dataset.maxWords) : null;
    function stateOf(n) {
      if (high !== null && n > high) { return "over"; }
      return low && n > 0 && n < low ? "under" : "ok";
    }
    var last = stateOf(words(textarea.value));
    textarea.addEventListener("input", function () {
      var n = words(textarea.value);
      var now = stateOf(n);
      var text = n + (n === 1 ? " word" : " words");
      if (now === "over") { text += ": over the limit of " + high + "; shorten it to save it."; }
      else if (now === "under") { text += ": under the minimum of " + low + "."; }
      else { text += "."; }
      shown.textContent = text;
      shown.classList.toggle("text-danger", now === "over");
      shown.classList.toggle("fw-semibold", now === "over");
      shown.classList.toggle("word-count-short", now === "under");
      if (now !== last) {
        if (now === "over") { live.textContent = "Over the word limit: " + text; }
        else if (last === "over") { live.textContent = "Back within the word limit: " + text; }
        else if (now === "ok" && n > 0) { live.textContent = "Minimum reached: " + text; }
        last = now;
      }
    });
  }

  // Focus and in-page links scroll to just below the sticky bar, however tall it grows.
  var bar = document.getElementById("attempt-bar");
  if (bar && window.ResizeObserver) {
    new window.ResizeObserver(function () {
      var sticky = window.getComputedStyle(bar).position === "sticky";
      document.documentElement.style.scrollPaddingTop =
        sticky ? (bar.offsetHeight + 8) + "px" : "";
    }).observe(bar);
  }

  // After a refused post, or "Save answers" without a refusal, the page reloads: take focus
  // to what it says, so a screen reader reads the outcome and the keyboard starts there.
  var outcome = document.querySelector("[data-focus-on-load]") ||
    document.querySelector("#main .messages");
  if (outcome) {
    if (!outcome.hasAttribute("tabindex")) { outcome.setAttribute("tabindex", "-1"); }
    outcome.focus();
  }

  function enhanceOrdering(fieldset, list) {
    function renumber() {
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.querySelector(".ordering-rank").value = String(i + 1);
        li.querySelector(".move-up").disabled = i === 0;
        li.querySelector(".move-down").disabled = i === list.children.length - 1;
      });
    }
    var live = fieldset.querySelector("[data-ordering-live]");
    // After a move the pressed button stays focused, unless the move disabled it (the item
    // reached an end): then its other button takes focus, so focus is never lost. The new
    // position is announced either way.
    function moved(li, pressed) {
      renumber();
      var other = li.querySelector(pressed.classList.contains("move-up") ? ".move-down" : ".move-up");
      (pressed.disabled ? other : pressed).focus();
      var position = Array.prototype.indexOf.call(list.children, li) + 1;
      live.textContent = "“" + li.dataset.text + "” moved to position " + position + " of " +
        list.children.length + ".";
      changed(fieldset, 100);
    }
    list.querySelectorAll("li").forEach(function (li) {
      li.querySelectorAll("button").forEach(function (b) { b.hidden = false; });
      li.querySelector(".move-up").addEventListener("click", function (event) {
        if (li.previousElementSibling) { list.insertBefore(li, li.previousElementSibling); }
        moved(li, event.currentTarget);
      });
      li.querySelector(".move-down").addEventListener("click", function (event) {
        if (li.nextElementSibling) { list.insertBefore(li.nextElementSibling, li); }
        moved(li, event.currentTarget);
      });
      li.querySelector(".ordering-rank").addEventListener("change", function (event) {
        var target = Number(event.target.value) - 1;
        list.removeChild(li);
        list.insertBefore(li, list.children[target] || null);
        renumber(); event.target.focus();
        live.textContent = "“" + li.dataset.text + "” moved to position " + (target + 1) +
          " of " + list.children.length + ".";
      });
    });
    renumber();
  }

  // Posting the form carries every answer as written (a refused one comes back with its
  // reason), so only leaving by any other way warns about what is not saved, refused
  // answers included.
  var posting = false;
  form.addEventListener("submit", function () { posting = true; });
  window.addEventListener("beforeunload", function (event) {
    var pending = false;
    form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
      var s = entry(fieldset);
      if (s.dirty && !posting) { window.clearTimeout(s.timer); send(fieldset, true); }
      if (s.dirty || s.inFlight || s.refused) { pending = true; }
    });
    if (pending && !closed && !posting) { event.preventDefault(); event.returnValue = ""; }
  });

  // The countdown shows the server's deadline; the server enforces it either way. Warnings
  // at 5 minutes, 1 minute and 10 seconds go to their own polite live region (the
  // countdown itself is not live: a screen reader would hear every second).
  var countdown = document.getElementById("countdown");
  if (countdown) {
    // Counted on the server's clock: a student's computer that is minutes off would
    // otherwise warn too early or too late (the offset is fixed when the page loads).
    var skew = Date.parse(countdown.dataset.now) - Date.now();
    var deadline = Date.parse(countdown.dataset.deadline) - (isNaN(skew) ? 0 : skew);
    var value = document.getElementById("countdown-value");
    var warning = document.getElementById("time-warning");
    var warnings = [[300, "5 minutes left."], [60, "1 minute left."],
                    [10, "10 seconds left. Your answers are saved as you go."]];
    var warned = null;
    var ticker = null;
    var timeUp = function () {
      window.clearInterval(ticker);
      value.textContent = "time is up";
      // Send what is waiting first, then stop editing: the grace period takes these saves.
      form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
        var s = entry(fieldset);
        window.clearTimeout(s.timer);
        if (s.dirty) { send(fieldset); }
      });
      form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
        fieldset.disabled = true;
      });
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.hidden = true; });
      warning.textContent = "Time is up. Your answers can no longer be changed; what was " +
        "saved is submitted.";
      warning.className = "time-warning alert alert-danger py-1 px-2 mb-0";
      document.getElementById("time-up").hidden = false;
    };
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      value.textContent = minutes + " min " + (seconds < 10 ? "0" : "") + seconds + " s";
      warnings.forEach(function (w) {
        // Only the latest threshold crossed, once: opening the page with 40 s left says
        // "1 minute left", not all three.
        if (left <= w[0] && left > 0 && (warned === null || w[0] < warned)) {
          warned = w[0];
          warning.textContent = w[1];
          warning.className = "time-warning alert alert-warning py-1 px-2 mb-0";
        }
      });
      if (left === 0) { timeUp(); }
    };
    ticker = window.setInterval(tick, 1000);
    tick();
  }
})();
