// A form sent back with errors: focus goes to the first field in error, whose message is
// linked to it (aria-describedby), so it is read out with the field and can be fixed at once.
(function () {
  "use strict";
  if (document.querySelector("[data-focus-on-load]")) { return; }  // the page chose already
  var first = document.querySelector("#main [aria-invalid='true']");
  if (first) { first.focus(); }
})();
