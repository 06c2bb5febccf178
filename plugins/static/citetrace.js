/* citetrace reader: note popups on markers, entity and claim toggles. Vanilla JS, no deps.
 *
 * Contract (kept stable for browser tests):
 *  - markers are `sup a.marker[href="#note-ID"][data-note=ID]`;
 *  - clicking one shows `#note-popup` (hidden attribute removed) holding a copy of the
 *    server-rendered `#note-ID .note-body` (note text and its citations), and marks
 *    `#note-ID` in the side panel with `.is-active`;
 *  - hovering a marker shows the same popup until the pointer leaves;
 *  - Escape, the close button or a click elsewhere hides it;
 *  - below ~900 px `#ct-side` is a drawer: `button.ct-drawer-toggle` opens it (body gets
 *    `.ct-drawer-open`), `button.ct-drawer-close` or Escape (no popup open) closes it.
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

    function place(marker) {
      var r = marker.getBoundingClientRect();
      var width = popup.offsetWidth;
      var left = window.scrollX + r.left - 12;
      var maxLeft = window.scrollX + document.documentElement.clientWidth - width - 8;
      left = Math.max(window.scrollX + 8, Math.min(left, maxLeft));
      var top = window.scrollY + r.bottom + 6;
      var below = document.documentElement.clientHeight - r.bottom;
      if (below < popup.offsetHeight + 12 && r.top > popup.offsetHeight + 12) {
        top = window.scrollY + r.top - popup.offsetHeight - 6;
      }
      popup.style.left = left + "px";
      popup.style.top = top + "px";
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

    // Claim highlighting on/off.
    var claimToggle = document.getElementById("toggle-claims");
    if (claimToggle) {
      claimToggle.addEventListener("change", function () {
        document.body.classList.toggle("ct-hide-claims", !claimToggle.checked);
      });
    }

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
