/* citetrace review: highlight annotated text, select text -> annotate form. Vanilla JS.
 *
 * Offsets are those of the stored passage / note text: text inside note markers, claim trace
 * links and row links (not part of the stored text) is skipped when counting. The server
 * re-derives the quote from its own text and falls back to the quote when offsets disagree,
 * so a page that drifted from the database cannot mis-target an annotation.
 * Nothing is inserted as an HTML string: highlights are created with DOM methods.
 */
(function () {
  "use strict";

  // Not stored text: note markers, trace / row links, buttons other scripts add (page links).
  var SKIP = "sup.fn, .claim-trace, .row-link, button, .ct-anno-skip";
  var JOINER = "\n\n";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function textNodes(root) {
    var out = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        var el = n.parentElement;
        return el && el.closest(SKIP) && root.contains(el.closest(SKIP))
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    while (walker.nextNode()) out.push(walker.currentNode);
    return out;
  }

  function fullText(root) {
    return textNodes(root).map(function (n) { return n.data; }).join("");
  }

  // Offset in the stored text of a DOM boundary point (node, offset) inside root.
  function offsetOf(root, node, offset) {
    var nodes = textNodes(root);
    var boundary = document.createRange();
    boundary.setStart(node, offset);
    var acc = 0;
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i] === node) return acc + offset;
      if (boundary.comparePoint(nodes[i], 0) > 0) return acc;
      acc += nodes[i].data.length;
    }
    return acc;
  }

  function passageRoots() {
    return Array.prototype.slice.call(document.querySelectorAll("#ct-text .passage[data-passage]"));
  }

  function rootOf(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    if (!el) return null;
    return el.closest("#ct-text .passage[data-passage]") || el.closest("#ct-notes .note-text");
  }

  function wrap(root, start, end, item) {
    var nodes = textNodes(root);
    var acc = 0;
    nodes.forEach(function (node) {
      var len = node.data.length;
      var s = Math.max(start, acc), e = Math.min(end, acc + len);
      acc += len;
      if (s >= e || !node.parentNode) return;
      var target = node;
      if (s - (acc - len) > 0) target = target.splitText(s - (acc - len));
      if (e - s < target.data.length) target.splitText(e - s);
      var mark = document.createElement("mark");
      mark.className = "ct-anno-hl state-" + item.state + " anchor-" + item.anchor;
      mark.setAttribute("data-annotation", String(item.id));
      mark.title = "Annotation " + item.id + " (" + item.state + ")";
      target.parentNode.insertBefore(mark, target);
      mark.appendChild(target);
    });
  }

  function highlight(items) {
    var passages = passageRoots();
    items.forEach(function (a) {
      if (a.anchor === "orphaned" || a.start === null || a.end === null) return;
      if (a.kind === "note") {
        var note = document.querySelector("#note-" + Number(a.footnote_id) + " .note-text");
        if (note) wrap(note, a.start, a.end, a);
        return;
      }
      var first = document.getElementById("p-" + Number(a.passage_id));
      var i = passages.indexOf(first);
      if (i < 0) return;
      var s = a.start, e = a.end;
      // A quote may continue into the following passages (stream offsets, see model.py).
      for (; i < passages.length && e > 0; i++) {
        var len = fullText(passages[i]).length;
        if (s < len) wrap(passages[i], s, Math.min(e, len), a);
        s = Math.max(0, s - len - JOINER.length);
        e -= len + JOINER.length;
      }
    });
  }

  ready(function () {
    var dataNode = document.getElementById("ct-annotations-data");
    if (!dataNode) return;
    var items = [];
    try { items = JSON.parse(dataNode.textContent || "[]"); } catch (e) { items = []; }
    highlight(items);

    document.addEventListener("click", function (ev) {
      var mark = ev.target.closest && ev.target.closest("mark.ct-anno-hl");
      if (!mark) return;
      var li = document.getElementById("annotation-" + mark.getAttribute("data-annotation"));
      if (!li) return;
      li.scrollIntoView({ block: "nearest" });
      li.classList.add("is-flash");
      setTimeout(function () { li.classList.remove("is-flash"); }, 1500);
    });

    var form = document.getElementById("ct-annotate-form");
    if (!form) return;  // read only
    document.body.appendChild(form);
    function field(name) { return form.querySelector('[name="' + name + '"]'); }

    function hideForm() { form.hidden = true; }
    form.querySelector(".ct-annotate-cancel").addEventListener("click", hideForm);
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && !form.hidden) hideForm();
    });

    function onSelect() {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || !sel.rangeCount) return;
      var range = sel.getRangeAt(0);
      if (form.contains(range.startContainer)) return;
      var startRoot = rootOf(range.startContainer);
      if (!startRoot) return;
      var endRoot = rootOf(range.endContainer);
      var isNote = !startRoot.hasAttribute("data-passage");
      var start = offsetOf(startRoot, range.startContainer, range.startOffset);
      var text = fullText(startRoot);
      var end, exact, endPassage = "";
      if (endRoot === startRoot) {
        end = offsetOf(startRoot, range.endContainer, range.endOffset);
        exact = text.slice(start, end);
      } else if (!isNote && endRoot && endRoot.hasAttribute("data-passage")) {
        var roots = passageRoots();
        var a = roots.indexOf(startRoot), b = roots.indexOf(endRoot);
        if (b < a) return;
        exact = text.slice(start);
        for (var i = a + 1; i < b; i++) exact += JOINER + fullText(roots[i]);
        var endOff = offsetOf(endRoot, range.endContainer, range.endOffset);
        exact += JOINER + fullText(endRoot).slice(0, endOff);
        end = endOff;
        endPassage = endRoot.getAttribute("data-passage");
      } else {
        end = text.length;  // ran out of a note: keep the part inside it
        exact = text.slice(start);
      }
      if (!exact.trim()) return;
      field("passage_id").value = isNote ? "" : startRoot.getAttribute("data-passage");
      field("end_passage_id").value = isNote ? "" : endPassage;
      var noteLi = isNote ? startRoot.closest(".note[data-note]") : null;
      field("footnote_id").value = noteLi ? noteLi.getAttribute("data-note") : "";
      field("start").value = String(start);
      field("end").value = String(end);
      field("exact").value = exact;
      var quote = form.querySelector(".ct-annotate-quote");
      quote.textContent = "\u201c" + (exact.length > 160 ? exact.slice(0, 159) + "\u2026" : exact) + "\u201d";
      form.hidden = false;
      var r = range.getBoundingClientRect();
      var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - form.offsetWidth - 8);
      form.style.left = Math.max(window.scrollX + 8, left) + "px";
      form.style.top = (window.scrollY + r.bottom + 8) + "px";
    }

    document.addEventListener("mouseup", function (ev) {
      if (form.contains(ev.target)) return;
      setTimeout(onSelect, 0);  // after the browser has settled the selection
    });
    document.addEventListener("keyup", function (ev) {
      if (ev.shiftKey && !form.contains(ev.target)) onSelect();
    });
  });
})();
