// New lesson form: suggest the address (slug) from the title as it is typed, until the
// instructor edits the address themselves. The server makes the same suggestion when the
// address is left empty, and refuses one that is taken, naming a free one.
(function () {
  "use strict";

  var form = document.querySelector("form[data-suggest-slug]");
  if (!form) { return; }
  var title = form.querySelector("input[name=title]");
  var slug = form.querySelector("input[name=slug]");
  if (!title || !slug) { return; }

  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 70)
      .replace(/-+$/g, "");
  }

  // The server's first suggestion may carry a number ("the-fox-2") when the plain one is
  // taken; that still counts as a suggestion. (A slug holds only [a-z0-9-], so it is safe
  // inside a regular expression.)
  var base = slugify(title.value);
  var suggested = slug.value === "" || slug.value === base ||
    new RegExp("^" + base + "-[0-9]+$").test(slug.value);
  title.addEventListener("input", function () {
    if (suggested) { slug.value = slugify(title.value); }
  });
  slug.addEventListener("input", function () {
    suggested = slug.value === "";
  });
})();
