/* citetrace review: highlight annotated text; select text -> the adder -> annotate form.
 *
 * Contract (kept stable for browser tests):
 *  - selecting text in a passage or a note shows `#ct-adder` next to the selection (below
 *    it, above it near the bottom of the window, never past the sides); its button, or the
 *    key "a" while the selection stands, opens `#ct-annotate-form` placed the same way;
 *  - the form is sent by citetrace-verdicts.js (fetch, CSRF token, no reload); the saved
 *    annotation is highlighted and listed in the margin at once, and removed on its Undo;
 *  - claims under a disputed or misquoted annotation get `.is-disputed` (kept up to date
 *    when an annotation's verdicts are edited);
 *  - the note popup (`.ct-popup-annotations`) lists copies of the margin's annotations on the
 *    note it shows (`li.ct-anno[data-note]`), with their edit and reply forms.
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
  var SKIP = "sup.fn, .ct-tools, .claim-trace, .row-link, button, .ct-anno-skip";
  var DISPUTING = ["disputed", "misquoted"];
  var MARGIN = 8;  // px kept free between the adder or form and the window's edges
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

  // Place `el` (absolutely positioned in the page) next to the viewport rectangle `r`:
  // below it, above it when it does not fit below, and inside the window's width.
  function placeNear(el, r, anchorX) {
    var vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
    var w = el.offsetWidth, h = el.offsetHeight;
    var top = r.bottom + MARGIN;
    if (top + h > vh - MARGIN && r.top - MARGIN - h >= MARGIN) top = r.top - MARGIN - h;
    top = Math.max(MARGIN, Math.min(top, vh - h - MARGIN));
    var left = (anchorX === undefined ? r.left : anchorX - w / 2);
    left = Math.max(MARGIN, Math.min(left, vw - w - MARGIN));
    el.style.left = (window.scrollX + left) + "px";
    el.style.top = (window.scrollY + top) + "px";
  }

  function markDisputed(items) {
    var claims = new Set();
    items.forEach(function (a) {
      if (!a.tags || !a.tags.some(function (t) { return DISPUTING.indexOf(t) >= 0; })) return;
      if (a.state === "deleted" || a.state === "rejected") return;
      if (a.claim_id != null) {
        document.querySelectorAll('#ct-text mark.claim[data-claim="' + Number(a.claim_id) + '"]')
          .forEach(function (m) { claims.add(m); });
      }
      document.querySelectorAll('#ct-text mark.ct-anno-hl[data-annotation="' + Number(a.id) + '"]')
        .forEach(function (hl) {
          var claim = hl.closest("mark.claim");
          if (claim) claims.add(claim);
          hl.querySelectorAll("mark.claim").forEach(function (m) { claims.add(m); });
        });
    });
    document.querySelectorAll("#ct-text mark.claim.is-disputed").forEach(function (m) {
      if (!claims.has(m)) m.classList.remove("is-disputed");
    });
    claims.forEach(function (m) { m.classList.add("is-disputed"); });
    var count = document.querySelector(".ct-hl-disputed-count");
    if (count) {
      var ids = new Set();
      claims.forEach(function (m) { ids.add(m.getAttribute("data-claim")); });
      count.textContent = String(ids.size);
    }
  }

  function marginItem(id, label, body, exact, note) {
    var list = document.querySelector("#ct-annotations .ct-anno-list");
    if (!list) return null;
    var empty = list.querySelector(".ct-empty");
    if (empty) empty.remove();
    var li = document.createElement("li");
    li.className = "ct-anno state-open anchor-exact is-flash";
    li.id = "annotation-" + id;
    li.setAttribute("data-annotation", String(id));
    if (note) li.setAttribute("data-note", String(note));
    var head = document.createElement("div");
    head.className = "ct-anno-head";
    var state = document.createElement("span");
    state.className = "ct-state ct-state-open";
    state.textContent = "open";
    head.appendChild(state);
    head.appendChild(document.createTextNode(" "));
    var tags = document.createElement("span");
    tags.className = "ct-anno-tags";  // the verdict's label until an edit lists the tags
    tags.textContent = label;
    head.appendChild(tags);
    li.appendChild(head);
    var quote = document.createElement("blockquote");
    quote.className = "ct-anno-quote";
    quote.textContent = exact.length > 160 ? exact.slice(0, 159) + "\u2026" : exact;
    li.appendChild(quote);
    var b = document.createElement("div");
    b.className = "ct-anno-body";
    b.textContent = body;
    li.appendChild(b);
    list.appendChild(li);
    return li;
  }

  // The note popup lists the margin's annotations on the note it shows: copies, their edit
  // and reply forms included (citetrace-verdicts.js keeps every copy up to date), without
  // ids and without the state buttons (a plain POST that reloads the page).
  function fillPopup(popup, note) {
    var list = popup.querySelector(".ct-popup-annotations ol");
    if (!list) return;
    list.textContent = "";
    document.querySelectorAll('#ct-annotations li.ct-anno[data-note="' + Number(note) + '"]')
      .forEach(function (li) {
        var copy = li.cloneNode(true);
        copy.removeAttribute("id");
        copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
        copy.querySelectorAll(".ct-anno-actions").forEach(function (n) { n.remove(); });
        copy.classList.remove("is-flash");
        list.appendChild(copy);
      });
  }

  ready(function () {
    var dataNode = document.getElementById("ct-annotations-data");
    if (!dataNode) return;
    var items = [];
    try { items = JSON.parse(dataNode.textContent || "[]"); } catch (e) { items = []; }
    highlight(items);
    markDisputed(items);
    document.addEventListener("citetrace:note-shown", function (ev) {
      fillPopup(ev.detail.popup, ev.detail.id);
    });
    document.addEventListener("citetrace:annotation-edited", function (ev) {
      items.forEach(function (a) { if (String(a.id) === String(ev.detail.id)) a.tags = ev.detail.tags; });
      markDisputed(items);
    });

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

    var adder = document.createElement("div");
    adder.id = "ct-adder";
    adder.className = "ct-adder";
    adder.setAttribute("role", "toolbar");
    adder.setAttribute("aria-label", "Selected text");
    adder.hidden = true;
    var adderButton = document.createElement("button");
    adderButton.type = "button";
    adderButton.className = "ct-adder-annotate";
    adderButton.setAttribute("aria-keyshortcuts", "A");
    adderButton.appendChild(document.createTextNode("Annotate"));
    var kbd = document.createElement("kbd");
    kbd.textContent = "a";
    adderButton.appendChild(kbd);
    adder.appendChild(adderButton);
    document.body.appendChild(adder);
    // the selection must survive a press on the adder
    adder.addEventListener("mousedown", function (ev) { ev.preventDefault(); });

    var pending = null;  // the selection's target, rectangle and quote, while the adder shows

    function hideForm() { form.hidden = true; }
    function hideAdder() { adder.hidden = true; pending = null; }
    form.querySelector(".ct-annotate-cancel").addEventListener("click", hideForm);
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { hideAdder(); if (!form.hidden) hideForm(); }
    });

    // What a selection targets, in stored-text offsets; null when it is not annotatable.
    function target() {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
      var range = sel.getRangeAt(0);
      if (form.contains(range.startContainer)) return null;
      var startRoot = rootOf(range.startContainer);
      if (!startRoot) return null;
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
        if (b < a) return null;
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
      if (!exact.trim()) return null;
      var noteLi = isNote ? startRoot.closest(".note[data-note]") : null;
      var rects = range.getClientRects();
      return {
        passage_id: isNote ? "" : startRoot.getAttribute("data-passage"),
        end_passage_id: isNote ? "" : endPassage,
        footnote_id: noteLi ? noteLi.getAttribute("data-note") : "",
        start: start, end: end, exact: exact,
        rect: range.getBoundingClientRect(),
        last: rects.length ? rects[rects.length - 1] : range.getBoundingClientRect()
      };
    }

    function onSelect() {
      var t = target();
      if (!t) { hideAdder(); return; }
      pending = t;
      adder.hidden = false;
      placeNear(adder, t.rect, t.last.right);
    }

    function openForm() {
      if (!pending) return;
      var t = pending;
      ["passage_id", "end_passage_id", "footnote_id", "start", "end", "exact"].forEach(function (k) {
        field(k).value = String(t[k]);
      });
      var quote = form.querySelector(".ct-annotate-quote");
      quote.textContent = "\u201c" + (t.exact.length > 160 ? t.exact.slice(0, 159) + "\u2026" : t.exact) + "\u201d";
      var status = form.querySelector(".ct-verdict-status");
      if (status) { status.textContent = ""; status.className = "ct-verdict-status"; }
      form.hidden = false;
      placeNear(form, t.rect);
      form.pendingTarget = t;
      hideAdder();
      field("body").focus({ preventScroll: true });
    }

    adderButton.addEventListener("click", openForm);
    document.addEventListener("keydown", function (ev) {
      // "a" annotates the selection (not while typing, nor with a modifier)
      if (ev.key !== "a" || ev.ctrlKey || ev.metaKey || ev.altKey || !pending) return;
      if (ev.target.closest && ev.target.closest("input, textarea, select, [contenteditable]")) return;
      ev.preventDefault();
      openForm();
    });

    var selecting = null;
    document.addEventListener("selectionchange", function () {
      clearTimeout(selecting);
      selecting = setTimeout(function () {
        if (form.contains(document.activeElement)) return;
        onSelect();
      }, 150);  // once the selection settles (mouse, keyboard or touch)
    });
    window.addEventListener("resize", hideAdder);

    // Saved by citetrace-verdicts.js: highlight it and list it, without a reload.
    document.addEventListener("citetrace:annotation-saved", function (ev) {
      var d = ev.detail;
      var note = d.form.classList.contains("ct-popup-verdicts") && d.form.elements.footnote_id.value;
      if (note) {  // a verdict on the whole note, from its popup
        var text = document.querySelector("#note-" + Number(note) + " .note-text");
        marginItem(d.id, d.label, d.body, text ? text.textContent.trim() : "", note);
        return;
      }
      if (d.form !== form || !form.pendingTarget) return;
      var t = form.pendingTarget;
      var item = {
        id: d.id, state: "open", anchor: "exact", tags: d.tags,
        kind: t.footnote_id ? "note" : "passage",
        passage_id: t.passage_id ? Number(t.passage_id) : null,
        footnote_id: t.footnote_id ? Number(t.footnote_id) : null,
        start: t.start, end: t.end
      };
      items.push(item);
      highlight([item]);
      marginItem(d.id, d.label, d.body, t.exact, t.footnote_id);
      markDisputed(items);
    });
    document.addEventListener("citetrace:annotation-undone", function (ev) {
      var id = String(ev.detail.id);
      items = items.filter(function (a) { return String(a.id) !== id; });
      document.querySelectorAll('mark.ct-anno-hl[data-annotation="' + id + '"]').forEach(function (m) {
        var parent = m.parentNode;
        while (m.firstChild) parent.insertBefore(m.firstChild, m);
        parent.removeChild(m);
        parent.normalize();
      });
      markDisputed(items);
    });
  });
})();
