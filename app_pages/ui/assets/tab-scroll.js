/* A view's tabs on a phone run wider than the screen and scroll sideways: bring the open tab into sight when it
   changes (a link that opens a later tab, e.g. ?section=FY2024, left it scrolled out of sight). Only the tab row
   scrolls, never the page; a reader's own scrolling of the row is left alone until the open tab changes. Once
   per page (the script element is drawn again on every run). */
(function () {
  if (window.__footprintTabs) { return; }
  window.__footprintTabs = true;
  var shown = new WeakMap();
  function scroller(el) {
    for (var e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (e.scrollWidth > e.clientWidth + 1 && /(auto|scroll)/.test(getComputedStyle(e).overflowX)) { return e; }
    }
    return null;
  }
  setInterval(function () {
    document.querySelectorAll('[data-testid="stTabs"] [role="tablist"]').forEach(function (list) {
      var tab = list.querySelector('[role="tab"][aria-selected="true"]');
      if (!tab || shown.get(list) === tab) { return; }
      var box = scroller(tab);
      if (box) {
        var a = box.getBoundingClientRect(), b = tab.getBoundingClientRect();
        if (b.right > a.right) { box.scrollLeft += b.right - a.right + 24; }
        else if (b.left < a.left) { box.scrollLeft -= a.left - b.left + 24; }
      }
      shown.set(list, tab);
    });
  }, 400);
})();
