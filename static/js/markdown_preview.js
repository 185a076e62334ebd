// Question form: keep each Markdown field's preview current while the instructor types.
// The server renders it (the same sanitiser as the student pages) and this script only
// puts the returned HTML in the aria-live region. Without this file the form's "Preview"
// button does the same with a round trip.
(function () {
  "use strict";

  var form = document.getElementById("question-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-preview-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var DELAY = 400;

  function watch(region) {
    var source = document.getElementById(region.getAttribute("data-preview-source"));
    if (!source) { return; }
    var timer = null;
    var sent = 0;
    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var body = new FormData();
        body.append("text", source.value);
        body.append("csrfmiddlewaretoken", token ? token.value : "");
        var mine = ++sent;
        fetch(url, { method: "POST", body: body, credentials: "same-origin",
                     headers: { "X-CSRFToken": token ? token.value : "" } })
          .then(function (response) { return response.text(); })
          .then(function (html) {
            if (mine === sent) { region.innerHTML = html; }  // a late reply never wins
          })
          .catch(function () { /* the Preview button still works */ });
      }, DELAY);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-preview-source]"), watch);
}());
