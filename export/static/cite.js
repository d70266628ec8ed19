/* The citation names the address the page was opened at (unless --base-url fixed it) and today's date. */
(function () {
  var u = document.getElementById("fp-url"), d = document.getElementById("fp-accessed");
  if (u && u.dataset.fixed !== "1" && /^https?:/.test(location.protocol)) { u.textContent = location.href.split("#")[0].split("?")[0]; }
  if (d) { d.textContent = new Date().toISOString().slice(0, 10); }
})();
