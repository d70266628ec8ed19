/* Draws the page's chart: the figure and config from their JSON blocks; on the world map the year named in the
   address (#2023) is drawn first, the animation frames are added after the first draw (they are two thirds of
   the page and need not delay it), and a later #YEAR moves the slider there. Plotly.newPlot waits for the
   outline fetched in the head (window.fpTopo) on map pages. A page with a further chart (a country's
   authorisations under its troop history) draws it with fpDraw once its figure block is parsed. */
window.fpDraw = function (el, fig, block) {
  var config = JSON.parse(document.getElementById("fp-config").textContent);
  var frames = null;
  function wanted() { return decodeURIComponent(location.hash.replace(/^#/, "")); }
  function step(name) {
    var s = (fig.layout.sliders || [])[0];
    if (!s) { return -1; }
    for (var i = 0; i < s.steps.length; i++) { if (s.steps[i].label === name) { return i; } }
    return -1;
  }
  if (fig.layout.geo && el.clientWidth < 640) {
    // a phone: the world is about half as tall as it is wide; the chart keeps its margins (title and colour bar
    // above, slider and Play below) and loses the empty band a desktop's height leaves around the map
    var m = fig.layout.margin || {}, h = Math.round(el.clientWidth * 0.55) + (m.t || 80) + (m.b || 80);
    if (!fig.layout.height || h < fig.layout.height) { fig.layout.height = h; el.style.height = h + "px"; }
  }
  if (el.clientWidth < 640) {
    // a phone: the x axis's title would run into a legend below the axis, and a value written after the longest
    // bar would run out of the chart
    if (fig.layout.xaxis && fig.layout.xaxis.title && fig.layout.legend && fig.layout.legend.orientation === "h") {
      fig.layout.xaxis.title.text = "";
    }
    if (fig.data.some(function (d) { return d.type === "bar" && d.orientation === "h" && d.text; })) {
      fig.layout.margin = Object.assign({}, fig.layout.margin || {});
      fig.layout.margin.r = Math.max(fig.layout.margin.r || 0, 48);
    }
  }
  if (block && wanted()) {
    frames = JSON.parse(block.textContent);
    var f = frames.filter(function (x) { return x.name === wanted(); })[0];
    if (f) {
      fig.data = fig.data.map(function (d, k) { return Object.assign({}, d, (f.data || [])[k] || {}); });
      if (f.layout) { Object.assign(fig.layout, f.layout); }
      if (step(f.name) >= 0) { fig.layout.sliders[0].active = step(f.name); }
    }
  }
  Promise.resolve(window.fpTopo).then(function () {
    return Plotly.newPlot(el, fig.data, fig.layout, config);
  }).then(function () {
    if (!block) { return; }
    setTimeout(function () {
      Plotly.addFrames(el, frames || JSON.parse(block.textContent));
      window.addEventListener("hashchange", function () {
        if (step(wanted()) >= 0) {
          Plotly.animate(el, [wanted()], {frame: {duration: 0, redraw: true}, transition: {duration: 0},
                                          mode: "immediate"});
        }
      });
    }, 0);
  });
};
fpDraw(document.getElementById("chart"), JSON.parse(document.getElementById("fp-figure").textContent),
       document.getElementById("fp-frames"));
