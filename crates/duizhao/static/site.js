// Duizhao: sentence pairs in the parallel reading mode.
//
// In 中英對照 mode every sentence is wrapped in an element carrying `data-s`, the id of its
// alignment bead; a sentence and its translation share the id. Hovering or focusing a sentence
// highlights it and its counterpart. Keyboard: Tab reaches the first sentence of each
// language's text, the arrow keys move from sentence to sentence within it, and the focused one
// shows its pair.
// Without this script the page is plain paired paragraphs.
(function () {
  "use strict";
  var root = document.querySelector(".parallel");
  if (!root) return;
  // One element per sentence in reading order; a sentence split by inline markup has several
  // elements with the same id, the first of which takes focus.
  var all = Array.prototype.slice.call(root.querySelectorAll("[data-s]"));
  if (all.length === 0) return;
  var seen = {};
  var lists = { first: [], second: [] };
  all.forEach(function (el) {
    var side = el.closest(".side").classList.contains("first") ? "first" : "second";
    var key = side + el.getAttribute("data-s") + ":" + (el.getAttribute("data-n") || "");
    if (seen[key]) return;
    seen[key] = true;
    lists[side].push(el);
  });
  var current = [];

  function clear() {
    current.forEach(function (el) { el.classList.remove("paired"); });
    current = [];
  }

  function show(el) {
    clear();
    var id = el.getAttribute("data-s");
    current = Array.prototype.slice.call(root.querySelectorAll('[data-s="' + id + '"]'));
    current.forEach(function (e) { e.classList.add("paired"); });
  }

  [lists.first, lists.second].forEach(function (stops) {
    stops.forEach(function (el, i) {
      el.setAttribute("tabindex", i === 0 ? "0" : "-1");
    });
  });

  root.addEventListener("mouseover", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-s]");
    if (el && root.contains(el)) show(el);
  });
  root.addEventListener("mouseleave", clear);
  root.addEventListener("focusin", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-s]");
    if (el) show(el);
  });
  root.addEventListener("focusout", function (ev) {
    if (!root.contains(ev.relatedTarget)) clear();
  });
  root.addEventListener("keydown", function (ev) {
    var stops = lists.first.indexOf(ev.target) >= 0 ? lists.first : lists.second;
    var i = stops.indexOf(ev.target);
    if (i < 0) return;
    var next = -1;
    if (ev.key === "ArrowDown" || ev.key === "ArrowRight") next = Math.min(i + 1, stops.length - 1);
    else if (ev.key === "ArrowUp" || ev.key === "ArrowLeft") next = Math.max(i - 1, 0);
    else if (ev.key === "Home") next = 0;
    else if (ev.key === "End") next = stops.length - 1;
    if (next < 0) return;
    ev.preventDefault();
    stops[i].setAttribute("tabindex", "-1");
    stops[next].setAttribute("tabindex", "0");
    stops[next].focus();
  });
})();
