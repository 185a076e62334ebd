// Grading screen: Ctrl+Enter saves and moves on; selecting words in the answer fills in the
// "exact words" field for a comment on that part. Everything also works without this file.
(function () {
  "use strict";
  var form = document.getElementById("grade-form");
  if (!form) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      document.getElementById("save-next").click();
    }
  });
  // After "Save and next" the next answer's page opens with what happened ("Grade saved")
  // and which answer this is: focus goes to that message, so it is read out and the
  // keyboard starts from there, not from the top of the page.
  var saved = document.querySelector("#main .messages");
  if (saved) {
    saved.setAttribute("tabindex", "-1");
    saved.focus();
  }
  var answer = document.getElementById("answer-text");
  var quote = document.getElementById("span-quote");
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !answer.contains(selection.anchorNode)) {
      return;
    }
    quote.value = selection.toString().trim();
  });
})();
