/* In an embed (?embed=true) inside an article's iframe, the whole view or the chart-only form: report the height
   of what is shown to the article, with the message a snapshot page sends (export/snapshot.py HEIGHT_SCRIPT), so
   the embed code's snapshot-resize.js sizes the frame to it (a fixed height leaves a blank band under the chart
   on a phone, or makes readers scroll inside a scroll with text cut at the frame's edge). Again whenever the
   content's height changes (a tab opened, an expander, a chart drawn). Only in a frame with embed=true in its
   address; once per page (the script element is drawn again on every run). */
(function () {
  if (window.self === window.top || !window.parent || window.__footprintHeight) { return; }
  if (new URLSearchParams(window.location.search).get("embed") !== "true") { return; }
  window.__footprintHeight = true;
  var last = 0, seen = null;
  function block() { return document.querySelector('[data-testid="stMainBlockContainer"]'); }
  function tell() {
    var el = block(); if (!el) { return; }
    var h = Math.ceil(el.getBoundingClientRect().height);
    if (h > 0 && h !== last) { last = h; window.parent.postMessage({footprint: "height", height: h}, "*"); }
  }
  var watch = window.ResizeObserver ? new ResizeObserver(tell) : null;
  setInterval(function () { var el = block(); if (el && el !== seen && watch) { seen = el; watch.observe(el); } tell(); }, 500);
})();
