/* Inside an article's iframe the page tells the article its height (a message {footprint: "height"}), and the
   embed box's code resizes its iframe to it (app_pages/ui/snapshot.py): the frame fits the page at every width,
   with no blank band under a phone's shorter map and nothing cut. The iframe's own height attribute stays as the
   fallback where an article strips scripts. Only a number leaves the page. */
(function () {
  if (window.self === window.top || !window.parent || !window.parent.postMessage) { return; }
  var last = 0;
  function tell() {
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h > 0 && h !== last) { last = h; window.parent.postMessage({footprint: "height", height: h}, "*"); }
  }
  if (window.ResizeObserver) { new ResizeObserver(tell).observe(document.documentElement); }
  window.addEventListener("load", tell);
  tell();
})();
