/* citetrace reader: note popups on markers, entity and claim toggles. Vanilla JS, no deps.
 *
 * Contract (kept stable for browser tests):
 *  - markers are `sup a.marker[href="#note-ID"][data-note=ID]`;
 *  - clicking one shows `#note-popup` (hidden attribute removed) holding a copy of the
 *    server-rendered `#note-ID .note-body` (note text and its citations), and marks
 *    `#note-ID` in the side panel with `.is-active`;
 *  - hovering a marker shows the same popup until the pointer leaves;
 *  - Escape, the close button or a click elsewhere hides it;
 *  - a marker opened (click or Enter) lets Tab into the popup; Shift+Tab from its first
 *    control, or Tab from its last, goes back to the marker / on past it;
 *  - below ~900 px `#ct-side` is a drawer: `button.ct-drawer-toggle` opens it (body gets
 *    `.ct-drawer-open`), `button.ct-drawer-close` or Escape (no popup open) closes it;
 *  - each passage's link cluster (`.ct-tools`) opens with its `button.ct-tools-toggle`
 *    (`.is-open`, aria-expanded) and shows on hover (CSS);
 *  - `input.ct-hl` choose which claims are highlighted (body classes `ct-hl-<kind>`), kept in
 *    localStorage under `citetrace.highlights`;
 *  - the note of the passage being read gets `.is-current` in `#ct-notes`, scrolled into the
 *    panel (IntersectionObserver), unless a popup is open or the pointer is in the panel.
 * Content is copied as DOM nodes (cloneNode) from server-escaped HTML: no HTML strings.
 */
(function () {
  "use strict";

  var HOVER_DELAY = 120;
  var HIDE_DELAY = 250;

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var popup = document.getElementById("note-popup");
    if (!popup) return;
    var popupBody = popup.querySelector(".ct-popup-body");
    // Positioned against the document: keep it out of any positioned container.
    document.body.appendChild(popup);
    var side = document.getElementById("ct-side");
    var state = {
      marker: null, pinned: false, hoverTimer: null, hideTimer: null, activeNote: null,
      quietFocus: false
    };

    function noteId(marker) {
      var id = marker.getAttribute("data-note");
      if (!id) {
        var href = marker.getAttribute("href") || "";
        id = href.replace(/^#note-/, "");
      }
      return id;
    }

    function clearTimers() {
      clearTimeout(state.hoverTimer);
      clearTimeout(state.hideTimer);
    }

    function setActive(note, marker) {
      if (state.activeNote) state.activeNote.classList.remove("is-active");
      if (state.marker) state.marker.classList.remove("is-active");
      state.activeNote = note;
      if (note) note.classList.add("is-active");
      if (marker) marker.classList.add("is-active");
    }

    function scrollPanelTo(note) {
      if (!side || !note || !side.contains(note)) return;
      // Viewport geometry: offsetTop depends on which ancestor is positioned (the sticky panel).
      var n = note.getBoundingClientRect();
      var s = side.getBoundingClientRect();
      if (n.top < s.top || n.bottom > s.bottom) {
        side.scrollTop = Math.max(0, side.scrollTop + n.top - s.top - 40);
      }
    }

    // Below the marker; above it when it fits there and not below. When it fits on neither
    // side of a marker on screen, on the roomier side, its height kept to that room (it
    // scrolls): whole on screen, never over its marker.
    function place(marker) {
      var r = marker.getBoundingClientRect();
      var view = document.documentElement.clientHeight;
      var width = popup.offsetWidth;
      // its height with nothing but the stylesheet's max-height (60vh) holding it
      var want = Math.min(popup.scrollHeight + popup.offsetHeight - popup.clientHeight,
                          Math.floor(view * 0.6));
      var below = view - r.bottom - 12;
      var above = r.top - 12;
      var left = window.scrollX + r.left - 12;
      var maxLeft = window.scrollX + document.documentElement.clientWidth - width - 8;
      left = Math.max(window.scrollX + 8, Math.min(left, maxLeft));
      var limit = "";
      var onTop = want > below && want <= above;
      if (want > below && want > above && r.top > 0 && r.bottom < view) {
        onTop = above > below;
        limit = Math.floor(onTop ? above : below) + "px";
      }
      if (popup.style.maxHeight !== limit) popup.style.maxHeight = limit;
      var top = onTop ? r.top - popup.offsetHeight - 6 : r.bottom + 6;
      popup.style.left = left + "px";
      popup.style.top = window.scrollY + top + "px";
    }

    // The popup grows after it is placed (its annotations listed, an edit or reply form or a
    // verdict's confirmation opened in it): placed again, so it does not run off the screen.
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (!popup.hidden && state.marker) place(state.marker);
      }).observe(popup);
    }

    function show(marker, pin) {
      var id = noteId(marker);
      var note = id && document.getElementById("note-" + id);
      if (!note) return false;
      var bodyNode = note.querySelector(".note-body");
      var labelNode = note.querySelector(".note-label");
      popupBody.textContent = "";
      var label = document.createElement("div");
      label.className = "ct-popup-label";
      label.textContent = "Note " + (labelNode ? labelNode.textContent : "");
      popupBody.appendChild(label);
      if (bodyNode) {
        var copy = bodyNode.cloneNode(true);
        // No duplicate ids in the page.
        copy.removeAttribute("id");
        Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (el) {
          el.removeAttribute("id");
        });
        popupBody.appendChild(copy);
      }
      popup.setAttribute("data-note", id);
      // The popup's verdict form (reviewers only) is about the note shown, its status fresh.
      var verdicts = popup.querySelector(".ct-popup-verdicts");
      if (verdicts && verdicts.elements.footnote_id.value !== id) {
        verdicts.elements.footnote_id.value = id;
        verdicts.querySelector(".ct-verdict-status").textContent = "";
      }
      // the reader's margin copies its annotations on this note in (citetrace-review.js)
      document.dispatchEvent(new CustomEvent("citetrace:note-shown", { detail: { id: id, popup: popup } }));
      popup.hidden = false;
      place(marker);
      setActive(note, marker);
      state.marker = marker;
      state.pinned = !!pin;
      scrollPanelTo(note);
      return true;
    }

    function hide() {
      clearTimers();
      popup.hidden = true;
      popup.removeAttribute("data-note");
      setActive(null, null);
      state.marker = null;
      state.pinned = false;
    }

    function markerFrom(target) {
      return target && target.closest ? target.closest("sup a.marker") : null;
    }

    document.addEventListener("click", function (ev) {
      var marker = markerFrom(ev.target);
      if (marker) {
        ev.preventDefault();
        clearTimers();
        if (state.pinned && state.marker === marker) {
          hide();
        } else {
          show(marker, true);
        }
        return;
      }
      if (ev.target.closest && ev.target.closest(".ct-popup-close")) {
        hide();
        return;
      }
      if (!popup.hidden && !popup.contains(ev.target)) hide();
    });

    var TABBABLE = "a[href], summary, button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
      "textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex='-1'])";

    function tabbables(root) {
      return Array.prototype.filter.call(root.querySelectorAll(TABBABLE), function (el) {
        return el.tabIndex >= 0 && el.getClientRects().length > 0;
      });
    }

    // The popup sits at the end of the body: Tab from its opened marker goes into it, and
    // out of it back to where the marker is in the text.
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "Tab" || popup.hidden || !state.pinned || !state.marker) return;
      var inside = tabbables(popup);
      if (!inside.length) return;
      var target = null;
      if (ev.target === state.marker && !ev.shiftKey) {
        target = inside[0];
      } else if (popup.contains(ev.target)) {
        if (ev.shiftKey && ev.target === inside[0]) {
          target = state.marker;
        } else if (!ev.shiftKey && ev.target === inside[inside.length - 1]) {
          var all = tabbables(document.body).filter(function (el) { return !popup.contains(el); });
          target = all[all.indexOf(state.marker) + 1] || state.marker;
          hide();  // read: move on with the text
        }
      }
      if (!target) return;
      ev.preventDefault();
      state.quietFocus = true;  // focus going back to a marker must not unpin its popup
      target.focus();
      state.quietFocus = false;
    });

    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && !popup.hidden) {
        var marker = state.marker;
        hide();
        if (marker) {
          state.quietFocus = true;  // returning focus must not reopen the preview
          marker.focus();
          state.quietFocus = false;
        }
      }
    });

    document.addEventListener("mouseover", function (ev) {
      var marker = markerFrom(ev.target);
      if (marker) {
        clearTimeout(state.hideTimer);
        if (state.pinned) return;
        clearTimeout(state.hoverTimer);
        state.hoverTimer = setTimeout(function () { show(marker, false); }, HOVER_DELAY);
      } else if (popup.contains(ev.target)) {
        clearTimeout(state.hideTimer);
      }
    });

    document.addEventListener("mouseout", function (ev) {
      var leaving = markerFrom(ev.target) || (popup.contains(ev.target) ? popup : null);
      if (!leaving) return;
      var to = ev.relatedTarget;
      if (to && (leaving.contains(to) || popup.contains(to))) return;
      clearTimeout(state.hoverTimer);
      if (state.pinned || popup.hidden) return;
      state.hideTimer = setTimeout(hide, HIDE_DELAY);
    });

    // Keyboard users: focusing a marker previews its note.
    document.addEventListener("focusin", function (ev) {
      var marker = markerFrom(ev.target);
      if (marker && !state.pinned && !state.quietFocus) show(marker, false);
    });

    window.addEventListener("resize", function () {
      if (!popup.hidden && state.marker) place(state.marker);
    });

    // Which claims are highlighted: the reviewer's choice, remembered on this browser.
    var HL_KEY = "citetrace.highlights";
    var hlBoxes = Array.prototype.slice.call(document.querySelectorAll("input.ct-hl"));
    function applyHighlights() {
      hlBoxes.forEach(function (box) {
        document.body.classList.toggle("ct-hl-" + box.value, box.checked);
      });
    }
    if (hlBoxes.length) {
      var chosen = null;
      try { chosen = JSON.parse(window.localStorage.getItem(HL_KEY) || "null"); } catch (e) { chosen = null; }
      if (Array.isArray(chosen)) {
        hlBoxes.forEach(function (box) { box.checked = chosen.indexOf(box.value) >= 0; });
      }
      applyHighlights();
      hlBoxes.forEach(function (box) {
        box.addEventListener("change", function () {
          applyHighlights();
          var kinds = hlBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
          try { window.localStorage.setItem(HL_KEY, JSON.stringify(kinds)); } catch (e) { /* private mode */ }
        });
      });
    }

    // One link cluster per passage: its button opens it (the links are then tabbable).
    function closeTools(except) {
      Array.prototype.forEach.call(document.querySelectorAll(".ct-tools.is-open"), function (t) {
        if (t === except) return;
        t.classList.remove("is-open");
        t.querySelector(".ct-tools-toggle").setAttribute("aria-expanded", "false");
      });
    }
    document.addEventListener("click", function (ev) {
      var toggle = ev.target.closest && ev.target.closest("button.ct-tools-toggle");
      var tools = toggle ? toggle.parentNode : null;
      closeTools(tools);
      if (!toggle) return;
      var open = !tools.classList.contains("is-open");
      tools.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (ev) {
      var tools = ev.key === "Escape" && ev.target.closest && ev.target.closest(".ct-tools.is-open");
      if (!tools) return;
      closeTools(null);
      tools.querySelector(".ct-tools-toggle").focus();
    });

    // Entity highlighting by label.
    Array.prototype.forEach.call(document.querySelectorAll("input.ent-toggle"), function (box) {
      box.addEventListener("change", function () {
        var label = box.value;
        var color = "ent-c" + (box.getAttribute("data-color") || "0");
        var spans = document.querySelectorAll(".ent[data-label]");
        Array.prototype.forEach.call(spans, function (span) {
          if (span.getAttribute("data-label") !== label) return;
          span.classList.toggle("on", box.checked);
          span.classList.toggle(color, box.checked);
        });
      });
    });

    // The side panel as a drawer on narrow screens (CSS decides when it is one).
    var drawerToggle = document.querySelector(".ct-drawer-toggle");
    function setDrawer(open) {
      document.body.classList.toggle("ct-drawer-open", open);
      if (drawerToggle) drawerToggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    if (drawerToggle) {
      drawerToggle.addEventListener("click", function () { setDrawer(true); });
    }
    document.addEventListener("click", function (ev) {
      if (ev.target.closest && ev.target.closest(".ct-drawer-close")) setDrawer(false);
    });
    // capture: runs before the popup's handler, so one Escape closes the popup only
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && popup.hidden && document.body.classList.contains("ct-drawer-open")) {
        setDrawer(false);
      }
    }, true);
    document.addEventListener("citetrace:open-side", function () { setDrawer(true); });

    // The notes panel follows the reading position: the first note of the topmost passage
    // in the upper part of the window is marked current and scrolled into the panel.
    var notesList = document.getElementById("ct-notes");
    if (notesList && "IntersectionObserver" in window) {
      var inView = new Set();
      var current = null;
      var pointerInSide = false;
      if (side) {
        side.addEventListener("mouseenter", function () { pointerInSide = true; });
        side.addEventListener("mouseleave", function () { pointerInSide = false; });
      }
      var follow = function () {
        var top = null;
        inView.forEach(function (p) {
          if (!top || (top.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_PRECEDING)) top = p;
        });
        if (!top) return;
        var marker = top.querySelector("sup a.marker[data-note]");
        var note = marker && document.getElementById("note-" + marker.getAttribute("data-note"));
        if (!note || note === current) return;
        if (current) current.classList.remove("is-current");
        current = note;
        note.classList.add("is-current");
        notesList.setAttribute("data-current", note.getAttribute("data-note"));
        if (popup.hidden && !pointerInSide) scrollPanelTo(note);
      };
      var timer = null;
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) inView.add(e.target); else inView.delete(e.target);
        });
        clearTimeout(timer);
        timer = setTimeout(follow, 80);  // once the scrolling settles
      }, { rootMargin: "-8% 0px -50% 0px" });
      Array.prototype.forEach.call(document.querySelectorAll("#ct-text .passage"), function (p) {
        if (p.querySelector("sup a.marker[data-note]")) observer.observe(p);
      });
    }

    // Back-reference links from notes: flash the passage holding the marker.
    document.addEventListener("click", function (ev) {
      var back = ev.target.closest && ev.target.closest("a.backref");
      if (!back) return;
      var ref = document.getElementById((back.getAttribute("href") || "").slice(1));
      var passage = ref && ref.closest(".passage");
      if (!passage) return;
      passage.classList.add("is-flash");
      setTimeout(function () { passage.classList.remove("is-flash"); }, 1500);
    });
  });
})();
