/* The copy buttons under the embed codes and citations (ui.share): a click (or Enter/Space: they are buttons)
   copies the code block just before the button and says so beside it for a few seconds ("Copied", in the page's
   language, from the button's data-copied). The Clipboard API needs a secure context (https or localhost); on
   plain http the block is selected and copied with execCommand. One listener for the page, whatever the runs. */
(function () {
  if (window.__footprintCopy) { return; }
  window.__footprintCopy = true;
  function fallback(pre) {
    var range = document.createRange(); range.selectNodeContents(pre);
    var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    var ok = false; try { ok = document.execCommand("copy"); } catch (x) { ok = false; }
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button.fp-copy");
    if (!button) { return; }
    var row = button.parentElement, pre = row && row.previousElementSibling;
    if (!pre || pre.tagName !== "PRE") { return; }
    var text = pre.innerText;
    var done = navigator.clipboard && window.isSecureContext ?
      navigator.clipboard.writeText(text).catch(function () { return fallback(pre); }) : fallback(pre);
    done.then(function () {
      var note = row.querySelector(".fp-copied");
      button.classList.add("fp-copy-done");
      if (note) { note.textContent = button.getAttribute("data-copied") || ""; }
      clearTimeout(button.__fpTimer);
      button.__fpTimer = setTimeout(function () {
        button.classList.remove("fp-copy-done"); if (note) { note.textContent = ""; }
      }, 4000);
    }, function () {});
  });
})();
