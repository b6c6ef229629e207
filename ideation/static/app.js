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

// Similar ideas while a citizen types an idea (templates/similar/_suggestions.html).
//
// After a pause in typing (300 ms) the title and description go to the question's
// /similar endpoint; a newer keystroke aborts the older request. The list shows links
// to the most similar ideas with their support counts, and hides when there are
// none. It never blocks or delays publishing.
(function () {
  "use strict";

  var DEBOUNCE_MS = 300;
  // Keeps the URL short enough for any proxy; the title says most anyway.
  var MAX_DESCRIPTION = 300;

  function setUp(region) {
    var form = region.closest("form");
    var title = form && form.querySelector("[name='title']");
    var description = form && form.querySelector("[name='description']");
    var box = region.querySelector("[data-similar-box]");
    var list = region.querySelector("[data-similar-list]");
    var status = region.querySelector("[data-similar-status]");
    var minChars = parseInt(region.dataset.minChars, 10) || 0;
    if (!title || !box || !list || !window.fetch) return;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function hide() {
      box.hidden = true;
      list.textContent = "";
    }

    function show(data) {
      list.textContent = "";
      (data.ideas || []).forEach(function (idea) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = idea.url;
        link.textContent = idea.title;
        var count = document.createElement("span");
        count.className = "similar-count";
        count.textContent = idea.support_label;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(count);
        list.appendChild(item);
      });
      box.hidden = list.children.length === 0;
      // Announced only when it changes, not on every keystroke.
      var summary = box.hidden ? "" : data.summary || "";
      if (status && status.textContent !== summary) status.textContent = summary;
    }

    function query() {
      var text = title.value.trim();
      var more = description ? description.value.trim() : "";
      if (text.length + more.length < minChars) {
        if (controller) controller.abort();
        lastQuery = null;
        hide();
        return;
      }
      var params = new URLSearchParams({ text: text });
      if (more) params.set("description", more.slice(0, MAX_DESCRIPTION));
      var url = region.dataset.url + "?" + params.toString();
      if (url === lastQuery) return;
      lastQuery = url;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(show)
        .catch(function (error) {
          // Aborted: a newer request replaced this one. Otherwise suggestions are
          // unavailable for now, and the form works the same without them.
          if (error.name === "AbortError") return;
          lastQuery = null;
          hide();
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(query, DEBOUNCE_MS);
    }

    title.addEventListener("input", schedule);
    if (description) description.addEventListener("input", schedule);
    // Text kept after a failed submission or "change my idea": suggest at once.
    if (title.value.trim()) query();
  }

  function init() {
    document.querySelectorAll("[data-similar-ideas]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// The pairwise vote (templates/voting/vote.html): an answer posts in the background
// and the next pair replaces the answered one without a reload. Without this
// script, or when anything goes wrong, the form is sent the ordinary way and the
// server answers with the next pair's page.
(function () {
  "use strict";

  var SIDES = ["first", "second"];

  function setUp(form) {
    var page = form.closest("main") || document;
    var status = page.querySelector("[data-vote-status]");
    var error = page.querySelector("[data-vote-error]");
    var count = page.querySelector("[data-vote-count]");
    var doneNote = page.querySelector("[data-vote-done]");
    var heading = page.querySelector("#vote-heading");

    function part(name, side) {
      return form.querySelector("[data-vote-" + name + "='" + side + "']");
    }

    function say(message) {
      if (!status) return;
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = message;
      }, 50);
    }

    function showError(message) {
      if (!error) return;
      error.textContent = message || "";
      error.hidden = !message;
    }

    function fill(side, proposal) {
      part("title", side).textContent = proposal.title;
      part("body", side).textContent = proposal.body;
      var sub = part("sub-theme", side);
      sub.textContent = proposal.sub_theme;
      sub.hidden = !proposal.sub_theme;
      part("link", side).href = proposal.url;
      part("link-title", side).textContent = ": " + proposal.title;
      part("choose-title", side).textContent = ": " + proposal.title;
    }

    function show(data) {
      showError("");
      if (count && typeof data.answered === "number") {
        count.textContent = String(data.answered);
      }
      if (!data.next) {
        form.hidden = true;
        if (doneNote) doneNote.hidden = false;
        say(data.message + " " + (doneNote ? doneNote.textContent : ""));
        if (heading) heading.focus();
        return;
      }
      form.action = data.next.action;
      SIDES.forEach(function (side) {
        fill(side, data.next[side]);
      });
      Array.prototype.forEach.call(
        form.querySelectorAll("input[name='reason']"),
        function (radio) {
          radio.checked = false;
        }
      );
      say(
        data.message + " " + data.next.first.title + " / " + data.next.second.title
      );
      // Keyboard users go on from the new pair's first choice.
      var first = form.querySelector("button[value='first']");
      if (first) first.focus();
    }

    function setBusy(busy) {
      form.dataset.pending = busy ? "true" : "false";
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) {
        b.disabled = busy;
      });
      if (busy) form.setAttribute("aria-busy", "true");
      else form.removeAttribute("aria-busy");
    }

    function sendPlainly(answer) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "answer";
      field.value = answer;
      form.appendChild(field);
      form.submit();
    }

    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.name !== "answer" || !window.fetch || !window.FormData) {
        return; // the ordinary way
      }
      event.preventDefault();
      if (form.dataset.pending === "true") return;
      var body = new FormData(form);
      body.append("answer", button.value);
      setBusy(true);
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) throw new Error("not json");
          return response.json().then(function (data) {
            setBusy(false);
            if (response.ok) {
              show(data);
            } else if (response.status === 409) {
              // Already answered elsewhere, or voting closed: the page knows.
              window.location.assign(form.dataset.voteUrl);
            } else {
              showError(data.error || "");
              say(data.error || "");
            }
          });
        })
        .catch(function () {
          setBusy(false);
          sendPlainly(button.value);
        });
    });
  }

  function init() {
    Array.prototype.forEach.call(
      document.querySelectorAll("form[data-vote-form]"),
      setUp
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
