/* The citation names the address the page was opened at (unless --base-url fixed it) and today's date. */
(function () {
  var u = document.getElementById("fp-url"), d = document.getElementById("fp-accessed");
  if (u && u.dataset.fixed !== "1" && /^https?:/.test(location.protocol)) { u.textContent = location.href.split("#")[0].split("?")[0]; }
  // today's date: ISO on the default language's pages, else written as that language's locale writes it
  if (d) {
    d.textContent = d.dataset.locale ? new Date().toLocaleDateString(d.dataset.locale, {day: "numeric", month: "long", year: "numeric"})
      : new Date().toISOString().slice(0, 10);
  }
})();
