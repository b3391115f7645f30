// The list filters update the rows through HTMX and push the new URL; the export link follows
// the address bar at click time so that it exports exactly what the list shows.
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest ? event.target.closest("a[data-export-keep-query]") : null;
  if (!link) { return; }
  var params = new URLSearchParams(window.location.search);
  params.delete("page");
  params.delete("size");
  var query = params.toString();
  link.href = link.href.split("?")[0] + (query ? "?" + query : "");
});
