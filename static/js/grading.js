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
