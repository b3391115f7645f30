// Small progressive enhancements; every page works without them.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// List filters update the rows through HTMX and push the new URL; an export link
// (data-export-keep-query) follows the address bar at click time, so it exports exactly what the
// list shows. data-export-format="xlsx" adds ?format=xlsx (a list page that exports itself).
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest ? event.target.closest("a[data-export-keep-query]") : null;
  if (!link) { return; }
  var params = new URLSearchParams(window.location.search);
  params.delete("page");
  params.delete("size");
  params.delete("format");
  if (link.getAttribute("data-export-format")) { params.set("format", link.getAttribute("data-export-format")); }
  var query = params.toString();
  link.href = link.href.split("?")[0] + (query ? "?" + query : "");
});
