/* Marks the page as shown inside an iframe (an article's embed) before it is drawn: snapshot.css then shows
   the chart, its title, source line and CSV, and a link to the full page instead of the citation and footer. */
try { if (window.self !== window.top) { document.documentElement.className += " framed"; } } catch (e) { document.documentElement.className += " framed"; }
