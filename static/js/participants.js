// Sorting and filtering the participants table in the browser, without a reload.
// Progressive enhancement: the header links and the filter form work without this script
// (the server sorts and filters from the same query string); this only saves the round trip.
(function () {
  "use strict";
  var table = document.getElementById("participants-table");
  var form = document.querySelector(".table-filter");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var select = form.querySelector("select[name=status]");
  var stageSelect = form.querySelector("select[name=stage]");
  var count = document.getElementById("table-count");
  var empty = document.getElementById("no-participants");
  var rows = Array.prototype.slice.call(body.rows).filter(function (row) { return row.dataset.name; });
  var total = rows.length;
  var rank = { counted: 0, party: 1, signatory: 2, other: 3, withdrawn: 4, none: 5 };
  var state = {
    sort: table.dataset.sort || "name", order: table.dataset.order || "asc", status: select.value,
    stage: stageSelect ? stageSelect.value : ""
  };

  // The national-step filter, as ratification/views/table.py `stage_matches` reads it.
  function stageMatches(row) {
    if (!state.stage) { return true; }
    if (state.stage === "pipeline") { return !!row.dataset.stage; }
    if (state.stage === "approval") { return !!row.dataset.stage && row.dataset.approval === "yes"; }
    return row.dataset.stage === state.stage;
  }
  var collator = new Intl.Collator(document.documentElement.lang || undefined, { sensitivity: "base" });

  function compare(a, b) {
    var key = state.sort;
    var result;
    if (key === "name") {
      result = collator.compare(a.dataset.name, b.dataset.name);
    } else if (key === "status") {
      result = rank[a.dataset.status] - rank[b.dataset.status] || collator.compare(a.dataset.name, b.dataset.name);
    } else {
      var x = a.dataset[key], y = b.dataset[key];
      if (!x || !y) { return x ? -1 : (y ? 1 : collator.compare(a.dataset.name, b.dataset.name)); }  // undated last
      result = x < y ? -1 : (x > y ? 1 : collator.compare(a.dataset.name, b.dataset.name));
    }
    return state.order === "desc" ? -result : result;
  }

  function query(changes) {
    var values = { status: state.status, stage: state.stage, sort: state.sort, order: state.order };
    Object.keys(changes || {}).forEach(function (name) { values[name] = changes[name]; });
    var params = new URLSearchParams();
    if (values.status) { params.set("status", values.status); }
    if (values.stage) { params.set("stage", values.stage); }
    if (values.sort !== "name") { params.set("sort", values.sort); }
    if (values.order === "desc") { params.set("order", "desc"); }
    var text = params.toString();
    return text ? "?" + text : location.pathname;
  }

  function render() {
    rows.sort(compare);
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (!state.status || row.dataset.status === state.status) && stageMatches(row);
      row.hidden = !visible;
      shown += visible ? 1 : 0;
      body.appendChild(row);
    });
    table.querySelectorAll("thead th[aria-sort]").forEach(function (th) {
      var link = th.querySelector("a[data-sort-key]");
      var key = link.dataset.sortKey;
      var current = key === state.sort;
      th.setAttribute("aria-sort", current ? (state.order === "desc" ? "descending" : "ascending") : "none");
      link.setAttribute("href", query({ sort: key, order: current && state.order === "asc" ? "desc" : "asc" }) + "#participants");
    });
    if (empty) { empty.hidden = shown > 0; body.appendChild(empty); }
    var template = shown === total ? count.dataset.templateAll : count.dataset.templateSome;
    count.textContent = template.replace("%(shown)s", shown);
    history.replaceState(null, "", query() + "#participants");
  }

  table.querySelector("thead").addEventListener("click", function (event) {
    var link = event.target.closest("a[data-sort-key]");
    if (!link) { return; }
    event.preventDefault();
    var key = link.dataset.sortKey;
    state.order = key === state.sort && state.order === "asc" ? "desc" : "asc";
    state.sort = key;
    render();
  });
  function readFilters() {
    state.status = select.value;
    state.stage = stageSelect ? stageSelect.value : "";
    render();
  }
  select.addEventListener("change", readFilters);
  if (stageSelect) { stageSelect.addEventListener("change", readFilters); }
  form.addEventListener("submit", function (event) { event.preventDefault(); readFilters(); });
}());
