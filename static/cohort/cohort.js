// Sorts and filters the learners table in place: no library, no network.
(function () {
  "use strict";
  var table = document.getElementById("learners");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var onlyStale = document.getElementById("only-stale");
  var shown = document.getElementById("shown");

  function value(row, key, type) {
    var v = row.dataset[key] || "";
    return type === "num" ? parseFloat(v) || 0 : v.toLocaleLowerCase();
  }

  function sortBy(th, direction) {
    var key = th.dataset.key, type = th.dataset.type;
    var sign = direction === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = value(a, key, type), y = value(b, key, type);
      if (x < y) return -sign;
      if (x > y) return sign;
      return value(a, "name", "text") < value(b, "name", "text") ? -1 : 1;
    });
    table.querySelectorAll("thead th[data-key]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", direction);
    rows.forEach(function (r) { body.appendChild(r); });
  }

  table.querySelectorAll("thead th[data-key] button").forEach(function (button) {
    button.addEventListener("click", function () {
      var th = button.parentNode;
      // Names start A→Z, figures largest first; a second click reverses.
      var first = th.dataset.type === "num" ? "descending" : "ascending";
      var now = th.getAttribute("aria-sort");
      sortBy(th, now ? (now === "ascending" ? "descending" : "ascending") : first);
    });
  });

  function applyFilter() {
    var words = (filter.value || "").toLocaleLowerCase().trim();
    var count = 0;
    rows.forEach(function (r) {
      var ok = (!words || r.textContent.toLocaleLowerCase().indexOf(words) >= 0) &&
        (!onlyStale.checked || r.dataset.stale === "1");
      r.hidden = !ok;
      if (ok) count++;
    });
    shown.textContent = count + " / " + rows.length;
  }
  filter.addEventListener("input", applyFilter);
  onlyStale.addEventListener("change", applyFilter);
  applyFilter();
})();
