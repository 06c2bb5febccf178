/* The trace page's verdict and dismissal forms, sent without a page reload.
 * Each form still works without script (a POST and a redirect back); with it, the form is
 * sent by fetch with its CSRF token, the answer is shown in the form's status line with an
 * Undo button (the annotation's state set to "deleted", nothing is ever hard-deleted).
 * The page hears of both: `citetrace:annotation-saved` (detail: form, id, label, body, tags)
 * and `citetrace:annotation-undone` (detail: form, id) on the document. */
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

  function listItem(id, label, body) {
    var list = document.querySelector(".ct-claim-annotations");
    if (!list) return null;
    var li = document.createElement("li");
    li.className = "ct-anno state-open is-flash";
    li.setAttribute("data-annotation", id);
    var state = document.createElement("span");
    state.className = "ct-state ct-state-open";
    state.textContent = "open";
    li.appendChild(state);
    li.appendChild(document.createTextNode(" " + label + (body ? ": " + body : "")));
    list.appendChild(li);
    return li;
  }

  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function saved(form, out, data, label, body, tags) {
    var id = data["citetrace:annotationId"];
    var item = listItem(id, label, body);
    announce("citetrace:annotation-saved", { form: form, id: id, label: label, body: body, tags: tags });
    form.querySelector("textarea[name=body]").value = "";
    out.className = "ct-verdict-status is-saved";
    out.textContent = "Saved: " + label + " (annotation " + id + "). ";
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "ct-button ct-undo";
    undo.textContent = "Undo";
    undo.addEventListener("click", function () {
      var params = new URLSearchParams();
      params.append("csrftoken", form.querySelector("input[name=csrftoken]").value);
      params.append("state", "deleted");
      undo.disabled = true;
      send(data["citetrace:stateUrl"], params).then(function () {
        if (item) item.remove();
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

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("ct-verdict-form") || !window.fetch) return;
    event.preventDefault();
    var button = event.submitter;
    var params = new URLSearchParams(new FormData(form));
    if (button && button.name) params.append(button.name, button.value);
    var label = (button && button.getAttribute("data-label")) || "saved";
    var body = form.querySelector("textarea[name=body]").value;
    var out = form.querySelector(".ct-verdict-status");
    out.className = "ct-verdict-status";
    out.textContent = "Saving…";
    setBusy(form, true);
    send(form.action, params).then(function (data) {
      saved(form, out, data, label, body, params.getAll("tag"));
    }).catch(function (e) {
      out.className = "ct-verdict-status is-error";
      out.textContent = "Not saved: " + e.message;
    }).then(function () { setBusy(form, false); });
  });
})();
