// Progressive enhancement only: every flow works without this file.
//
// - Support buttons post in the background and update the count in place; a polite
//   live region tells screen reader users what happened.
// - Forms with data-confirm ask before they are sent (withdrawing an idea).
(function () {
  "use strict";

  var liveRegion = null;

  function csrfToken(form) {
    var field = form.querySelector("input[name='csrf_token']");
    if (field) return field.value;
    var meta = document.querySelector("meta[name='csrf-token']");
    return meta ? meta.getAttribute("content") : "";
  }

  function announce(message) {
    if (!liveRegion) return;
    // Clearing first makes a repeated message be announced again.
    liveRegion.textContent = "";
    window.setTimeout(function () {
      liveRegion.textContent = message;
    }, 50);
  }

  function createLiveRegion() {
    var region = document.createElement("div");
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    document.body.appendChild(region);
    return region;
  }

  function widgetOf(form) {
    return form.closest(".support");
  }

  function showError(form, message) {
    var widget = widgetOf(form);
    var box = widget && widget.querySelector("[data-support-error]");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  function setSupported(form, supported) {
    var button = form.querySelector("button");
    var label = form.querySelector("[data-support-label]");
    form.dataset.supported = supported ? "true" : "false";
    form.action = supported ? form.dataset.unsupportUrl : form.dataset.supportUrl;
    if (label) {
      label.textContent = supported
        ? form.dataset.unsupportLabel
        : form.dataset.supportLabel;
    }
    button.classList.toggle("button-primary", !supported);
    button.classList.toggle("button-secondary", supported);
  }

  function update(form, data) {
    var widget = widgetOf(form);
    var count = widget && widget.querySelector("[data-support-count]");
    if (count) count.textContent = data.count_label;
    setSupported(form, data.supported);
    showError(form, "");
    announce(data.message);
  }

  function setBusy(form, busy) {
    var button = form.querySelector("button");
    if (!button) return;
    button.disabled = busy;
    if (busy) button.setAttribute("aria-busy", "true");
    else button.removeAttribute("aria-busy");
  }

  function isJson(response) {
    var type = response.headers.get("Content-Type") || "";
    return type.indexOf("application/json") !== -1;
  }

  function onSupportSubmit(event) {
    var form = event.target.closest("form[data-support-form]");
    if (!form || !window.fetch || !window.FormData) return;
    event.preventDefault();
    if (form.dataset.pending === "true") return;
    form.dataset.pending = "true";
    setBusy(form, true);

    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": csrfToken(form),
        "X-Requested-With": "fetch",
      },
    })
      .then(function (response) {
        // Anything but our JSON (a login page, an expired session, a server
        // error page): let the browser send the form the ordinary way.
        if (!isJson(response)) throw new Error("not json");
        return response.json().then(function (data) {
          if (response.ok) update(form, data);
          else showError(form, data.error || "");
        });
      })
      .catch(function () {
        form.submit();
      })
      .then(function () {
        form.dataset.pending = "false";
        setBusy(form, false);
        // Keep keyboard focus where it was: the button.
        var button = form.querySelector("button");
        if (button && document.activeElement === document.body) button.focus();
      });
  }

  function onConfirmSubmit(event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }

  function init() {
    liveRegion = createLiveRegion();
    document.addEventListener("submit", onConfirmSubmit);
    document.addEventListener("submit", onSupportSubmit);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
