/* Carried in the embed code after a Footprint iframe: a snapshot page or a live embed (the whole view or the chart
   alone) reports its height ({footprint: "height", height}) and this resizes the frame that sent it, within bounds
   (the whole view on a phone runs to about 6,000 px), only while the frame shows a page of the embed's own origin
   (a page the reader opened inside the frame cannot resize it); with scripts stripped, the iframe's height
   attribute applies. Idempotent when an article carries it more than once. Kept on one line: it is pasted into
   articles. */
window.addEventListener("message",function(e){var d=e.data;if(!d||d.footprint!=="height")return;var h=Math.round(+d.height);if(!(h>=150&&h<=20000))return;document.querySelectorAll("iframe[data-footprint-embed]").forEach(function(f){var o;try{o=new URL(f.src,location.href).origin;}catch(x){return;}if(f.contentWindow===e.source&&e.origin===o)f.style.height=h+"px";});});
