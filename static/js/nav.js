// Phones: fold the main menu behind its "Menu" button (Bootstrap's collapse opens it). The
// page is served with the menu open and the button hidden, so it works without JavaScript.
(function () {
  "use strict";
  var menu = document.getElementById("main-nav");
  var toggler = document.querySelector("[data-bs-target='#main-nav']");
  if (!menu || !toggler) { return; }
  menu.classList.remove("show");
  toggler.hidden = false;
})();
