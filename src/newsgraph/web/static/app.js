// newsgraph web UI: the article page's notes and layer switches. No libraries, nothing fetched.
(function () {
  "use strict";
  var text = document.getElementById("text");
  var data = document.getElementById("notes");
  if (!text || !data) return;
  var notes = JSON.parse(data.textContent);
  var panel = document.getElementById("note");
  var selected = [];

  function row(key, value) {
    var tr = document.createElement("tr");
    [key, value].forEach(function (v) { var td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
    return tr;
  }

  function show(ids) {
    panel.innerHTML = "";
    ids.forEach(function (id) {
      var n = notes[id];
      if (!n) return;
      var box = document.createElement("div");
      box.className = "note-" + n.kind;
      var h = document.createElement("h4");
      if (n.href) { var a = document.createElement("a"); a.href = n.href; a.textContent = n.title; h.appendChild(a); }
      else h.textContent = n.title;
      box.appendChild(h);
      var table = document.createElement("table");
      n.rows.forEach(function (r) { table.appendChild(row(r[0], r[1])); });
      box.appendChild(table);
      panel.appendChild(box);
    });
  }

  function select(id) {
    selected.forEach(function (el) { el.classList.remove("selected"); });
    selected = Array.prototype.slice.call(text.querySelectorAll('[data-n~="' + id + '"]'));
    selected.forEach(function (el) { el.classList.add("selected"); });
    if (selected.length) { selected[0].scrollIntoView({block: "center"}); show([id]); }
  }

  text.addEventListener("mouseover", function (e) {
    var el = e.target.closest("[data-n]");
    if (el) show(el.dataset.n.split(" "));
  });
  text.addEventListener("click", function (e) {
    var el = e.target.closest("[data-n]");
    if (el) select(el.dataset.n.split(" ")[0]);
  });
  document.querySelectorAll("[data-goto]").forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); select(a.dataset.goto); history.replaceState(null, "", "#" + a.dataset.goto); });
  });
  document.querySelectorAll("#legend input[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () { text.classList.toggle("off-" + box.dataset.layer, !box.checked); });
  });
  if (location.hash.length > 1) select(location.hash.slice(1));
})();
