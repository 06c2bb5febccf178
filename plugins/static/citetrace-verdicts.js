/* The review forms, sent without a page reload: verdicts (the trace page, the reader's note
 * popup and annotate form) and an annotation's edit and reply forms (citetrace_thread.html:
 * the reader's margin and popup, the trace page, the review queue).
 * Each form still works without script (a POST and a redirect back); with it, the form is
 * sent by fetch with its CSRF token and `Accept: application/json`, and its status line says
 * what was saved.
 *  - A verdict is listed at once in the element its form's `data-list` selects, with an Undo
 *    button (the annotation's state set to "deleted", nothing is ever hard-deleted) and, once
 *    listed, its own edit and reply forms (from `template#ct-thread-template`).
 *  - An edit or a reply shows in every copy of the annotation on the page
 *    (`.ct-anno[data-annotation=ID]`: the margin's item and the popup's copy).
 * The page hears of them: `citetrace:annotation-saved` (detail: form, id, label, body, tags),
 * `citetrace:annotation-undone` (form, id) and `citetrace:annotation-edited` (id, tags).
 * A comment comes back as the server renders it for the page (Markdown without raw HTML);
 * DOMParser reads it into an inert document, whose nodes are moved in. */
(function () {
  "use strict";

  function send(url, params) {
    return fetch(url, {
      method: "POST", body: params, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.error || "HTTP " + response.status);
        return data;
      });
    });
  }

  function setBusy(form, busy) {
    form.querySelectorAll("button").forEach(function (b) { b.disabled = busy; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function rendered(html) {
    var doc = new DOMParser().parseFromString(html || "", "text/html");
    var part = document.createDocumentFragment();
    while (doc.body.firstChild) part.appendChild(doc.body.firstChild);
    return part;
  }

  // Every copy of an annotation on the page (not its replies).
  function copies(id) {
    return document.querySelectorAll('.ct-anno[data-annotation="' + Number(id) + '"]');
  }

  function listItem(form, id, label, body) {
    var list = document.querySelector(form.getAttribute("data-list") || ".ct-claim-annotations");
    if (!list) return null;
    var li = el("li", "ct-anno state-open is-flash");
    li.setAttribute("data-annotation", id);
    var note = form.elements.footnote_id && form.elements.footnote_id.value;
    if (note) li.setAttribute("data-note", note);
    li.appendChild(el("span", "ct-state ct-state-open", "open"));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", "ct-anno-tags", label));
    li.appendChild(el("div", "ct-anno-body", body));
    list.appendChild(li);
    return li;
  }

  // The edit and reply forms of a just-saved annotation, in each of its copies.
  function addThread(data, body, tags) {
    var template = document.getElementById("ct-thread-template");
    if (!template) return;
    copies(data["citetrace:annotationId"]).forEach(function (item) {
      if (item.querySelector(".ct-thread-form")) return;
      var part = template.content.cloneNode(true);
      part.querySelectorAll(".ct-thread-form").forEach(function (f) {
        f.action = data[f.getAttribute("data-kind") === "edit" ? "citetrace:editUrl" : "citetrace:replyUrl"];
      });
      part.querySelector("[data-kind=edit] textarea").value = body;
      part.querySelectorAll("[data-kind=edit] input[name=tag]").forEach(function (box) {
        box.checked = tags.indexOf(box.value) >= 0;
      });
      item.appendChild(part);
    });
  }

  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function saved(form, out, data, label, body, tags) {
    var id = data["citetrace:annotationId"];
    listItem(form, id, label, body);
    announce("citetrace:annotation-saved", { form: form, id: id, label: label, body: body, tags: tags });
    addThread(data, body, tags);
    form.querySelector("textarea[name=body]").value = "";
    out.className = "ct-verdict-status is-saved";
    out.textContent = "Saved: " + label + " (annotation " + id + "). ";
    var undo = el("button", "ct-button ct-undo", "Undo");
    undo.type = "button";
    undo.addEventListener("click", function () {
      var params = new URLSearchParams();
      params.append("csrftoken", form.querySelector("input[name=csrftoken]").value);
      params.append("state", "deleted");
      undo.disabled = true;
      send(data["citetrace:stateUrl"], params).then(function () {
        copies(id).forEach(function (item) { item.remove(); });
        announce("citetrace:annotation-undone", { form: form, id: id });
        form.querySelector("textarea[name=body]").value = body;
        out.className = "ct-verdict-status is-undone";
        out.textContent = "Undone: " + label + " was withdrawn.";
      }).catch(function (e) {
        undo.disabled = false;
        out.className = "ct-verdict-status is-error";
        out.appendChild(document.createTextNode(" Undo failed: " + e.message));
      });
    });
    out.appendChild(undo);
    undo.focus();
  }

  function edited(form, data) {
    copies(data.id).forEach(function (item) {
      var body = item.querySelector(".ct-anno-body");
      if (body) { body.textContent = ""; body.appendChild(rendered(data.body_html)); }
      var tags = item.querySelector(".ct-anno-tags");
      if (tags) {
        tags.textContent = "";
        data.tags.forEach(function (t) {
          tags.appendChild(el("span", "ct-tag ct-tag-" + t, t));
          tags.appendChild(document.createTextNode(" "));
        });
      }
      var other = item.querySelector(".ct-thread-form[data-kind=edit]");
      if (other && other !== form) {  // the other copy's form shows what is stored now
        other.querySelector("textarea").value = data.body || "";
        other.querySelectorAll("input[name=tag]").forEach(function (box) {
          box.checked = data.tags.indexOf(box.value) >= 0;
        });
      }
    });
    announce("citetrace:annotation-edited", { id: data.id, tags: data.tags });
    return "Saved: annotation " + data.id + " changed; its previous text stays in the history.";
  }

  function replied(form, data) {
    var parent = form.closest(".ct-anno").getAttribute("data-annotation");
    copies(parent).forEach(function (item) {
      var list = item.querySelector("ol.ct-replies");
      if (!list) return;
      var li = el("li", "ct-reply is-flash");
      li.setAttribute("data-annotation", data.id);
      li.appendChild(el("span", "ct-small ct-dim",
                        data.author + " \u00b7 " + String(data.created).slice(0, 16).replace("T", " ")));
      var body = el("div", "ct-anno-body");
      body.appendChild(rendered(data.body_html));
      li.appendChild(body);
      list.appendChild(li);
      list.hidden = false;
    });
    form.querySelector("textarea[name=body]").value = "";
    return "Reply saved (annotation " + data.id + ").";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var isVerdict = form.classList && form.classList.contains("ct-verdict-form");
    var isThread = form.classList && form.classList.contains("ct-thread-form");
    if (!(isVerdict || isThread) || !window.fetch) return;
    event.preventDefault();
    var button = event.submitter;
    var params = new URLSearchParams(new FormData(form));
    if (button && button.name) params.append(button.name, button.value);
    var label = (button && button.getAttribute("data-label")) || "saved";
    var body = form.querySelector("textarea[name=body]").value;
    var out = form.querySelector(isVerdict ? ".ct-verdict-status" : ".ct-thread-status");
    var kind = isVerdict ? "ct-verdict-status" : "ct-thread-status ct-small";
    out.className = kind;
    out.textContent = "Saving…";
    setBusy(form, true);
    send(form.action, params).then(function (data) {
      if (isVerdict) {
        saved(form, out, data, label, body, params.getAll("tag"));
        return;
      }
      out.textContent = form.getAttribute("data-kind") === "edit" ? edited(form, data) : replied(form, data);
      out.className = kind + " is-saved";
    }).catch(function (e) {
      out.className = kind + " is-error";
      out.textContent = "Not saved: " + e.message;
    }).then(function () { setBusy(form, false); });
  });
})();
