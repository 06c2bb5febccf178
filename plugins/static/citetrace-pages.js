/* citetrace reader: the PDF page beside the text, with the selected passage or note boxed.
 *
 * Contract (kept stable for browser tests):
 *  - `#ct-pageview[data-url]` points at `.../documents/<id>/pages.json` (page sizes, and the
 *    regions [{page, bbox: [x0, top, x1, bottom]}] of passages and notes, in PDF points);
 *  - the side panel gets two tabs, `#ct-tab-notes` and `#ct-tab-page` (WAI-ARIA tabs: arrow
 *    keys, Home and End move between them, only the selected one is a tab stop);
 *  - every passage's link cluster gets a `button.page-link` and every note a
 *    `button.note-page-link`: clicking one opens the Page tab on that page with `.ct-box`
 *    elements over the image;
 *  - `button.ct-pv-zoom-in` / `-out` zoom the image from 100 to 300 % (`.ct-pv-frame` gets the
 *    width, `.ct-pv-zoom-level` says it); the boxes, in %, stay on their text;
 *  - while the Page tab is open, clicking a passage's text or a marker follows along;
 *  - when the PDF cannot be shown, `.ct-pv-missing` says why (no image requested).
 * Boxes are positioned in % of the page size, so they follow the image at any width.
 * No HTML strings: every node is built with createElement/textContent.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  ready(function () {
    var view = document.getElementById("ct-pageview");
    var side = document.getElementById("ct-side");
    if (!view || !side) return;
    var panels = {
      notes: document.getElementById("ct-panel-notes"),
      page: view
    };
    var tabs = {
      notes: document.getElementById("ct-tab-notes"),
      page: document.getElementById("ct-tab-page")
    };
    var label = view.querySelector(".ct-pv-label");
    var frame = view.querySelector(".ct-pv-frame");
    var img = view.querySelector("img.ct-pv-image");
    var missing = view.querySelector(".ct-pv-missing");
    var prev = view.querySelector(".ct-pv-prev");
    var next = view.querySelector(".ct-pv-next");
    var openLink = view.querySelector(".ct-pv-open");
    var caption = view.querySelector(".ct-pv-caption");
    var failed = view.querySelector(".ct-pv-failed");
    var scroller = view.querySelector(".ct-pv-scroll");
    var zoomLevel = view.querySelector(".ct-pv-zoom-level");
    var zoomIn = view.querySelector(".ct-pv-zoom-in");
    var zoomOut = view.querySelector(".ct-pv-zoom-out");
    var ZOOMS = [100, 125, 150, 200, 250, 300];
    var data = null;
    var loading = null;
    var state = { page: null, boxes: [], regions: [], kind: "passage", selected: null, zoom: 100 };

    document.body.classList.add("ct-has-pageview");

    function showTab(name, keepPage) {
      // on a narrow screen the side panel is a drawer: open it (citetrace.js)
      document.dispatchEvent(new CustomEvent("citetrace:open-side"));
      Object.keys(panels).forEach(function (key) {
        var on = key === name;
        if (panels[key]) panels[key].hidden = !on;
        if (tabs[key]) {
          tabs[key].setAttribute("aria-selected", on ? "true" : "false");
          tabs[key].tabIndex = on ? 0 : -1;
          tabs[key].classList.toggle("is-active", on);
        }
      });
      if (name === "page" && !keepPage) {
        load().then(showFirst);
      }
    }

    function pageActive() {
      return !view.hidden;
    }

    function load() {
      if (!loading) {
        loading = fetch(view.getAttribute("data-url"), { credentials: "same-origin" })
          .then(function (r) {
            if (!r.ok) throw new Error("HTTP " + r.status);
            return r.json();
          })
          .then(function (json) {
            data = json;
            if (!json.available) showMissing(json.reason);
          })
          .catch(function () {
            showMissing("The page images could not be loaded.");
          });
      }
      return loading;
    }

    function showMissing(reason) {
      if (missing) {
        missing.hidden = false;
        var text = missing.querySelector(".ct-pv-reason");
        if (text) text.textContent = reason || "The PDF file is not available.";
      }
      if (frame) frame.hidden = true;
      view.classList.add("is-missing");
    }

    function pageInfo(n) {
      if (!data) return null;
      for (var i = 0; i < data.pages.length; i++) {
        if (data.pages[i].page === n) return data.pages[i];
      }
      return null;
    }

    function clearBoxes() {
      state.boxes.forEach(function (b) { b.remove(); });
      state.boxes = [];
    }

    function drawBoxes(info, regions, kind) {
      clearBoxes();
      if (!info || !info.width || !info.height) return null;
      var first = null;
      regions.forEach(function (r) {
        if (r.page !== info.page) return;
        var pad = 2;
        var x0 = Math.max(0, r.bbox[0] - pad), top = Math.max(0, r.bbox[1] - pad);
        var x1 = Math.min(info.width, r.bbox[2] + pad), bottom = Math.min(info.height, r.bbox[3] + pad);
        var box = el("div", "ct-box ct-box-" + kind);
        box.style.left = (100 * x0 / info.width) + "%";
        box.style.top = (100 * top / info.height) + "%";
        box.style.width = (100 * (x1 - x0) / info.width) + "%";
        box.style.height = (100 * (bottom - top) / info.height) + "%";
        frame.appendChild(box);
        state.boxes.push(box);
        if (!first) first = box;
      });
      return first;
    }

    function scrollToBox(box) {
      if (!box) return;
      if (scroller && state.zoom > 100) {  // the box to the middle of the zoomed view
        scroller.scrollLeft = Math.max(0, box.offsetLeft - (scroller.clientWidth - box.offsetWidth) / 2);
        scroller.scrollTop = Math.max(0, box.offsetTop - (scroller.clientHeight - box.offsetHeight) / 2);
      }
      var frameTop = frame.offsetTop;
      var y = frameTop + box.offsetTop - 60;
      if (box.offsetTop + frameTop < side.scrollTop ||
          box.offsetTop + box.offsetHeight + frameTop > side.scrollTop + side.clientHeight) {
        side.scrollTop = Math.max(0, y);
      }
    }

    function showPage(n, regions, kind, what) {
      if (!data || !data.available) return;
      var info = pageInfo(n);
      if (!info) return;
      var changed = state.page !== n;
      state.page = n;
      state.regions = regions || [];
      state.kind = kind || "passage";
      label.textContent = "Page " + n + " of " + data.pages.length;
      if (prev) prev.disabled = data.pages[0].page === n;
      if (next) next.disabled = data.pages[data.pages.length - 1].page === n;
      if (openLink) openLink.setAttribute("href", info.url);
      if (caption) caption.textContent = what || "";
      // Boxes of the latest selection, even when an earlier image load finishes last.
      var draw = function () {
        if (state.page === n) scrollToBox(drawBoxes(info, state.regions, state.kind));
      };
      if (changed || !img.getAttribute("src")) {
        clearBoxes();
        img.alt = "Page " + n + " of " + (data.filename || "the PDF");
        img.onload = draw;
        // One page that cannot be rendered (stopped at the server's time bound) says why
        // in place of its image; the other pages stay reachable.
        img.onerror = function () {
          if (state.page !== n) return;
          img.hidden = true;
          failed.hidden = false;
          failed.textContent = "Page " + n + " could not be rendered.";
          fetch(info.url, { credentials: "same-origin" })
            .then(function (r) { return r.ok ? "" : r.text(); })
            .then(function (reason) {
              if (reason && state.page === n) failed.textContent = reason.slice(0, 300);
            })
            .catch(function () {});
        };
        img.hidden = false;
        failed.hidden = true;
        img.src = info.url;
        frame.setAttribute("data-page", String(n));
      } else {
        draw();
      }
    }

    function select(node) {
      if (state.selected) state.selected.classList.remove("is-selected");
      state.selected = node;
      if (node) node.classList.add("is-selected");
    }

    function showFirst() {
      if (state.page == null && data && data.pages.length) showPage(data.pages[0].page);
    }

    function showPassage(id, passageNode) {
      return load().then(function () {
        if (!data || !data.available) return;
        var regions = data.passages[id] || [];
        if (!regions.length) return showFirst();
        select(passageNode || document.getElementById("p-" + id));
        showPage(regions[0].page, regions, "passage", "Passage on page " + regions[0].page);
      });
    }

    function showNote(id) {
      return load().then(function () {
        if (!data || !data.available) return;
        var regions = data.notes[id] || [];
        if (!regions.length) return showFirst();
        var note = document.getElementById("note-" + id);
        var labelNode = note && note.querySelector(".note-label");
        select(null);
        showPage(regions[0].page, regions, "note",
                 "Note " + (labelNode ? labelNode.textContent : "") + " on page " + regions[0].page);
      });
    }

    function setZoom(z) {
      state.zoom = Math.max(ZOOMS[0], Math.min(ZOOMS[ZOOMS.length - 1], z));
      frame.style.width = state.zoom + "%";
      if (zoomLevel) zoomLevel.textContent = state.zoom + "%";
      if (zoomOut) zoomOut.disabled = state.zoom <= ZOOMS[0];
      if (zoomIn) zoomIn.disabled = state.zoom >= ZOOMS[ZOOMS.length - 1];
      scrollToBox(state.boxes[0]);
    }
    function stepZoom(dir) {
      var i = ZOOMS.indexOf(state.zoom);
      setZoom(ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, i + dir))]);
    }
    if (zoomIn) zoomIn.addEventListener("click", function () { stepZoom(1); });
    if (zoomOut) zoomOut.addEventListener("click", function () { stepZoom(-1); });
    setZoom(100);

    // Buttons in the passages' link clusters and on the notes.
    Array.prototype.forEach.call(document.querySelectorAll(".ct-text .passage[data-passage]"), function (p) {
      var menu = p.querySelector(".ct-tools-menu");
      if (!menu) return;
      var b = el("button", "page-link", "page");
      b.type = "button";
      b.title = "Show on the PDF page";
      b.setAttribute("aria-label", "Show this passage on the PDF page");
      b.setAttribute("data-passage", p.getAttribute("data-passage"));
      menu.insertBefore(b, menu.querySelector(".passage-row"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("#ct-notes li.note[data-note]"), function (n) {
      var meta = n.querySelector(".note-meta");
      if (!meta) return;
      var b = el("button", "note-page-link", "on the page");
      b.type = "button";
      b.title = "Show this note on the PDF page";
      b.setAttribute("data-note", n.getAttribute("data-note"));
      meta.appendChild(b);
    });

    var order = ["notes", "page"];
    order.forEach(function (key, i) {
      if (!tabs[key]) return;
      tabs[key].addEventListener("click", function () { showTab(key); });
      tabs[key].addEventListener("keydown", function (ev) {
        var to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: order.length - 1 }[ev.key];
        if (to === undefined) return;
        ev.preventDefault();
        var next = order[(to + order.length) % order.length];
        showTab(next);
        tabs[next].focus();
      });
    });
    if (prev) prev.addEventListener("click", function () {
      if (state.page != null) showPage(state.page - 1, [], "passage");
    });
    if (next) next.addEventListener("click", function () {
      if (state.page != null) showPage(state.page + 1, [], "passage");
    });

    document.addEventListener("click", function (ev) {
      var t = ev.target;
      if (!t.closest) return;
      var b = t.closest("button.page-link");
      if (b) {
        ev.preventDefault();
        showTab("page", true);
        showPassage(b.getAttribute("data-passage"), b.closest(".passage"));
        return;
      }
      b = t.closest("button.note-page-link");
      if (b) {
        ev.preventDefault();
        showTab("page", true);
        showNote(b.getAttribute("data-note"));
        return;
      }
      if (!pageActive()) return;
      var marker = t.closest("sup a.marker[data-note]");
      if (marker) {
        showNote(marker.getAttribute("data-note"));
        return;
      }
      if (t.closest("a, button, input, label")) return;
      var passage = t.closest(".ct-text .passage[data-passage]");
      if (passage && !(window.getSelection && String(window.getSelection()))) {
        showPassage(passage.getAttribute("data-passage"), passage);
      }
    });

    // #page=N in the URL opens that page.
    var m = /[#&]page=(\d+)/.exec(window.location.hash);
    if (m) {
      showTab("page", true);
      load().then(function () { showPage(parseInt(m[1], 10), [], "passage"); });
    }
  });
})();
