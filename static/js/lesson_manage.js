// Lessons page: move a lesson up or down without reloading the page. Focus stays on the
// button that was pressed (or on the lesson's other move button, once it reaches an end),
// and the new position is announced. Without this file the buttons post the same form
// and the page comes back with the moved lesson's button focused.
(function () {
  "use strict";

  var table = document.getElementById("lesson-table");
  var live = document.getElementById("lesson-live");
  if (!table || !live || !window.fetch) { return; }
  var body = table.tBodies[0];
  var busy = false;

  function rows() { return Array.prototype.slice.call(body.rows); }

  function renumber() {
    var all = rows();
    all.forEach(function (row, index) {
      row.querySelector(".lesson-number").textContent = String(index + 1);
      row.querySelector(".lesson-count").textContent = String(all.length);
      var up = row.querySelector("button[value=up]");
      var down = row.querySelector("button[value=down]");
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === all.length - 1; }
    });
  }

  function fallBack(form, button) {
    // Let the server do it the no-script way (the page reloads with focus restored).
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "direction";
    field.value = button.value;
    form.appendChild(field);
    form.submit();
  }

  body.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("lesson-move")) { return; }
    var button = event.submitter;
    if (!button || !button.value) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var data = new FormData(form);
    data.append("direction", button.value);
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("move refused: " + response.status); }
      return response.json();
    }).then(function (result) {
      var byId = {};
      rows().forEach(function (row) { byId[row.dataset.lesson] = row; });
      var known = result.order.every(function (pk) { return byId[String(pk)]; });
      if (!known || result.order.length !== rows().length) {
        // Someone else added or deleted a lesson meanwhile: show the course as it is now.
        window.location.reload();
        return;
      }
      result.order.forEach(function (pk) { body.appendChild(byId[String(pk)]); });
      renumber();
      var row = form.closest("tr");
      var other = row.querySelector("button[value=" +
        (button.value === "up" ? "down" : "up") + "]");
      (button.disabled ? other : button).focus();
      // Emptied first, so that the same sentence twice is still announced twice.
      live.textContent = "";
      window.setTimeout(function () { live.textContent = result.message; }, 50);
      busy = false;
    }).catch(function () {
      busy = false;
      fallBack(form, button);
    });
  });
})();
