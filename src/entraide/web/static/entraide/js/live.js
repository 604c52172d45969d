// Live session client. The server holds the truth. The websocket (opened for this page's view)
// pushes the rendered fragment of each new version ("fragment"); it may lose messages, so on
// reconnect or visibility change the page asks for what it missed by version ("sync"), and
// when a push fails ("changed") or the socket is down it re-fetches its fragment over HTTP. The timer counts down from the server's deadline, corrected
// by the clock offset measured at render, so every device shows the same remaining time.
(function () {
  "use strict";
  var root = function () { return document.getElementById("live"); };
  if (!root()) { return; }
  var socket = null;
  var retry = 500;
  var offset = 0; // server clock minus local clock, in ms
  var refreshing = false;
  var pending = false;

  function version() { return parseInt(root().dataset.version || "0", 10); }

  // Pushed fragments carry no CSRF token (one render serves many people): the page's own goes
  // into their forms.
  var CSRF_PLACEHOLDER = "__csrf__";
  var csrf = "";
  function keepCsrf() {
    var token = root() && root().dataset.csrf;
    if (token && token !== CSRF_PLACEHOLDER) { csrf = token; }
  }
  function giveCsrf(fresh) {
    if (!csrf) { return; }
    if (fresh.dataset.csrf === CSRF_PLACEHOLDER) { fresh.dataset.csrf = csrf; }
    fresh.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      if (input.value === CSRF_PLACEHOLDER) { input.value = csrf; input.setAttribute("value", csrf); }
    });
  }

  function measureOffset() {
    var serverNow = parseInt(root().dataset.serverNow || "0", 10);
    if (serverNow) { offset = serverNow - Date.now(); }
  }

  // Bring #live up to date without disturbing the person: the page is morphed in place
  // (idiomorph), so the button under a finger stays the same element; what they typed and not
  // yet sent, their ballot choices and the <details> they opened or closed are kept; focus and
  // caret stay where they were.
  function swap(html, fromCommand, sentForm) {
    var el = root();
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.querySelector("#live");
    if (!el || !fresh) { return; }
    giveCsrf(fresh);
    // A command's answer older than the screen (a push of a later change came first, say while
    // two moves were in flight): keep the newer screen, show only what the server said.
    if (fromCommand && parseInt(fresh.dataset.version || "0", 10) < version()) {
      var flashOnly = document.getElementById("live-flash");
      var saidOnly = fresh.querySelector(".messages");
      if (flashOnly) { flashOnly.replaceChildren(); if (saidOnly) { flashOnly.appendChild(saidOnly); } }
      return;
    }
    // A refresh that is not newer than the screen is stale (it raced a command's answer),
    // unless the facilitator came or went: presence changes no version.
    if (!fromCommand && parseInt(fresh.dataset.version || "0", 10) <= version() && fresh.dataset.presence === el.dataset.presence) {
      if (fresh.dataset.presenceUntil !== el.dataset.presenceUntil) { el.dataset.presenceUntil = fresh.dataset.presenceUntil || ""; watchPresence(); }
      return;
    }
    // What the server says about a command stays on screen until the next command.
    var flash = document.getElementById("live-flash");
    var said = fresh.querySelector(".messages");
    if (said) { said.remove(); }
    if (flash && (fromCommand || said)) { flash.replaceChildren(); if (said) { flash.appendChild(said); } }
    // A refused command (its reason is shown at its form) keeps what the person chose or typed,
    // so that they correct it rather than start again.
    if (sentForm && !fresh.querySelector(".form-error")) {
      sentForm.querySelectorAll("[data-dirty]").forEach(function (field) { delete field.dataset.dirty; });
    }
    el.querySelectorAll("[data-dirty]").forEach(function (field) {
      if (field.type === "radio") {
        if (!field.checked) { return; }
        fresh.querySelectorAll('input[type=radio][name="' + field.name + '"]').forEach(function (twin) {
          twin.checked = twin.value === field.value;
          if (twin.checked) { twin.setAttribute("checked", ""); twin.dataset.dirty = "1"; } else { twin.removeAttribute("checked"); }
        });
        return;
      }
      var twin = field.id && fresh.querySelector("#" + CSS.escape(field.id));
      if (!twin) { return; }
      twin.dataset.dirty = "1";
      if (twin.tagName === "SELECT") {
        // Idiomorph follows the options' "selected" attributes: the person's choice goes there.
        Array.prototype.forEach.call(twin.options, function (option) {
          if (option.value === field.value) { option.setAttribute("selected", ""); } else { option.removeAttribute("selected"); }
        });
        twin.value = field.value;
      } else if (twin.type === "checkbox") {
        twin.checked = field.checked;
        if (field.checked) { twin.setAttribute("checked", ""); } else { twin.removeAttribute("checked"); }
      } else {
        twin.value = field.value;
        if (twin.tagName === "TEXTAREA") { twin.textContent = field.value; } else { twin.setAttribute("value", field.value); }
      }
    });
    // What the person opened or closed holds within a step; a new step opens what it needs
    // (the private notes at the reflection, say).
    if (fresh.dataset.step !== el.dataset.step) {
      el.querySelectorAll("details[data-touched]").forEach(function (details) { delete details.dataset.touched; });
    }
    el.querySelectorAll("details[id][data-touched]").forEach(function (details) {
      var twin = fresh.querySelector("#" + CSS.escape(details.id));
      if (twin) {
        if (details.open) { twin.setAttribute("open", ""); } else { twin.removeAttribute("open"); }
        twin.dataset.touched = "1";
      }
    });
    // Focus stays where the person was (a keyboard or screen-reader user must not be thrown
    // back to the top by a change someone else made). Idiomorph leaves the focused element's
    // value and content as they are (ignoreActiveValue, for what is being typed): anything
    // else focused (a button, a radio, the heading, a summary) lets go during the morph, so
    // that it gets its new label, value or title, and takes focus back after it. When the
    // focused element is gone (the form of a finished step, say), focus goes to the step's
    // heading (tabindex=-1) rather than to the page's body.
    var focused = document.activeElement;
    var hadFocus = focused && el.contains(focused) ? focused : null;
    var hadCommand = hadFocus ? commandOf(hadFocus) : null;
    if (hadFocus && !isTyping(hadFocus)) { hadFocus.blur(); }
    var before = cues();
    Idiomorph.morph(el, fresh, { morphStyle: "outerHTML", ignoreActiveValue: true, restoreFocus: true });
    var after = cues();
    if (hadFocus) { keepFocus(hadFocus, hadCommand, before.stepKey !== after.stepKey); }
    announceChanges(before, after);
    keepCsrf();
    // Another view now (the facilitation was handed over): its socket asks for that view.
    if (socket && socketPath && root().dataset.ws !== socketPath) { socket.close(); }
    measureOffset();
    tick();
    watchPresence();
  }

  // --- Announcements (live regions) and focus -------------------------------------------
  // The words come from the server (the fragment's hidden #live-cues and #live-turn-cue, in the
  // person's language); the regions (#live-announce polite, #live-announce-now assertive) sit
  // outside #live, so they are in the page before anything is said into them.
  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function announce(text, urgent) {
    var region = document.getElementById(urgent ? "live-announce-now" : "live-announce");
    if (!region || !text) { return; }
    // Emptied first, then filled a moment later: the same words said twice are read twice.
    // Emptied again once read, so that nobody finds old news there.
    region.textContent = "";
    setTimeout(function () {
      region.textContent = text;
      setTimeout(function () { if (region.textContent === text) { region.textContent = ""; } }, 7000);
    }, 120);
  }

  function cues() {
    var step = document.getElementById("live-cues");
    var turn = document.getElementById("live-turn-cue");
    return {
      stepKey: step ? step.dataset.stepKey : null,
      stepSay: step ? step.dataset.stepSay : "",
      turnKey: turn ? turn.dataset.turnKey || "" : "",
      turnSay: turn ? turn.dataset.turnSay || "" : ""
    };
  }

  // A new step, said politely; this person's turn (a pitch, a sharing round, the floor), said
  // at once. Only changes: nothing is said when the page loads.
  function announceChanges(before, after) {
    if (after.stepKey !== null && before.stepKey !== after.stepKey && after.stepSay) { announce(after.stepSay, false); }
    if (after.turnKey && after.turnKey !== before.turnKey) { announce(after.turnSay, true); }
  }

  function isTyping(element) {
    return element.matches("textarea, select, input:not([type=radio]):not([type=checkbox]):not([type=submit]):not([type=button]):not([type=hidden])");
  }

  // Where a form's control was: the same command's form in the new page (by its hidden
  // "command" input), for a control idiomorph replaced rather than kept.
  function commandOf(element) {
    var form = element.closest && element.closest("form[data-live-command]");
    var input = form && form.querySelector("input[name=command]");
    return input ? input.value : null;
  }

  function keepFocus(element, command, newStep) {
    var target = element.isConnected && element.closest("#live") ? element : null;
    if (!target && element.id) { target = document.getElementById(element.id); }
    if (!target && command && root()) {
      var input = root().querySelector('form[data-live-command] input[name=command][value="' + command + '"]');
      target = input && input.form.querySelector(element.tagName === "BUTTON" ? "button[type=submit]" : "textarea, input:not([type=hidden]), select, button");
    }
    if (target) {
      if (document.activeElement !== target && !target.disabled) { target.focus({ preventScroll: true }); }
      return;
    }
    if (document.activeElement && document.activeElement !== document.body && document.activeElement.isConnected) { return; }
    var heading = root() && root().querySelector("h1[tabindex]");
    if (!heading) { return; }
    heading.focus({ preventScroll: true });
    // A new step: show its beginning (smoothly, unless the person asked for less motion).
    // Otherwise the page stays where the person was looking.
    if (newStep) { heading.scrollIntoView({ block: "nearest", behavior: reducedMotion() ? "auto" : "smooth" }); }
  }

  // Timer milestones of the timers marked data-announce (the step's): 5 minutes left, 1 minute
  // left, time up; said once when the countdown crosses them, never each second. A deadline
  // that moves (time added, a pause, a new step) starts the watch again, silently. A jump over
  // several (a phone waking up) says only the last one.
  var MILESTONES = [300, 60, 0];
  var watched = {};
  function watchMilestones(timer, remaining) {
    var name = timer.dataset.announce;
    if (!name) { return; }
    var seen = watched[name];
    if (!seen || seen.deadline !== timer.dataset.deadline) {
      watched[name] = { deadline: timer.dataset.deadline, remaining: remaining };
      return;
    }
    var crossed = null;
    MILESTONES.forEach(function (mark) { if (seen.remaining > mark && remaining <= mark) { crossed = mark; } });
    seen.remaining = remaining;
    if (crossed !== null) {
      var step = document.getElementById("live-cues");
      if (step) { announce(step.getAttribute("data-timer-" + crossed), false); }
    }
  }

  // The facilitator counts as present until a moment the server gives (their last heartbeat
  // plus a margin); past it without news, look again: the page then says the session waits.
  // Their coming back arrives as a "changed" signal at the same version.
  var presenceTimer = null;
  function watchPresence() {
    if (presenceTimer) { clearTimeout(presenceTimer); presenceTimer = null; }
    var until = parseInt(root().dataset.presenceUntil || "0", 10);
    if (!until) { return; }
    var wait = until - (Date.now() + offset) + 1500;
    presenceTimer = setTimeout(refresh, Math.max(wait, 5000));
  }

  // Mark what the person changes by hand (text, choices in a menu, boxes ticked), so that a
  // refresh does not overwrite it: a "Déplacer vers…" menu set just before a push arrives still
  // says where the person chose when they tap "Déplacer".
  function markDirty(event) {
    var field = event.target;
    if (field.closest && field.closest("#live") && field.matches("textarea, select, input:not([type=hidden])")) {
      if (field.type === "radio") {
        document.querySelectorAll('#live input[type=radio][name="' + field.name + '"]').forEach(function (r) { delete r.dataset.dirty; });
      }
      field.dataset.dirty = "1";
    }
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);

  function say(text) {
    var flash = document.getElementById("live-flash");
    if (!flash) { return; }
    var list = document.createElement("ul");
    list.className = "messages";
    list.setAttribute("role", "alert");
    var item = document.createElement("li");
    item.className = "message error";
    item.textContent = text;
    list.appendChild(item);
    flash.replaceChildren(list);
  }

  function refresh() {
    if (refreshing) { pending = true; return; }
    refreshing = true;
    fetch(root().dataset.fragment, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html) { swap(html); }
      })
      .catch(function () { /* offline: the next signal or the slow resync tries again */ })
      .then(function () {
        refreshing = false;
        if (pending) { pending = false; refresh(); }
      });
  }

  // Commands: the forms are plain POST forms (they work without JavaScript); here they are
  // sent in the background and their answer goes through the same careful swap. Each distinct
  // submission gets a fresh client id; the same form sent again with the same content within
  // a few seconds (a double tap) keeps its id, so the server applies it once.
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16)); // plain http on a LAN has no randomUUID
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var lastSent = { signature: null, id: null, at: 0 };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-live-command]")) { return; }
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
    var data = new FormData(form);
    data.delete("client_id");
    var signature = form.action + "|" + new URLSearchParams(data).toString();
    var id = (signature === lastSent.signature && Date.now() - lastSent.at < 4000) ? lastSent.id : newId();
    lastSent = { signature: signature, id: id, at: Date.now() };
    data.set("client_id", id);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "HX-Request": "true", "Accept": "text/html, application/json;q=0.5" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (response.status === 503) { return response.json().then(function (said) { return { retry: said.message }; }); }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (answer) {
        // The database is briefly away: say so and keep what was typed (nothing was applied;
        // sending it again later gets a fresh id only if its content changed).
        if (answer && answer.retry) { say(answer.retry); return; }
        swap(answer, true, form);
      })
      .catch(function () {
        // Offline or refused at the door: send it the ordinary way (same id: applied once).
        var input = form.querySelector("input[name=client_id]");
        if (input) { input.value = id; }
        form.submit();
      });
  });

  var socketPath = null;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socketPath = root().dataset.ws;
    socket = new WebSocket(scheme + location.host + socketPath);
    socket.onopen = function () {
      retry = 500;
      socket.send(JSON.stringify({ type: "sync", version: version() }));
    };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "fragment") { swap(message.html); } // swap keeps what is not newer out
      else if ((message.type === "changed" || message.type === "state") && message.version > version()) { refresh(); }
      else if (message.type === "changed" && message.version === version()) { refresh(); } // presence
    };
    socket.onclose = function () {
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll(".timer[data-deadline]").forEach(function (timer) {
      var deadline = parseInt(timer.dataset.deadline, 10);
      if (!deadline) { return; }
      var remaining = Math.round((deadline - now) / 1000);
      var sign = remaining < 0 ? "−" : "";
      var abs = Math.abs(remaining);
      var text = sign + Math.floor(abs / 60) + ":" + String(abs % 60).padStart(2, "0");
      var value = timer.querySelector(".timer-value");
      if (value && value.textContent !== text) { value.textContent = text; }
      timer.classList.toggle("over", remaining < 0);
      watchMilestones(timer, remaining);
    });
  }

  // Remember which <details> the person opened or closed, so a refresh keeps them that way.
  // A tap (or Enter/Space) on its summary, not the "toggle" event: the browser also fires that
  // one, trusted, when a page arrives with a <details open>, which would pin it open (or, after
  // a reload, keep the server's choice for the next step from applying).
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("#live details > summary");
    if (summary) { summary.parentElement.dataset.touched = "1"; }
  }, true);
  // "Copy the link" (the personal link): the clipboard where the browser allows it (https),
  // otherwise the link is selected so that the person copies it by hand.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var text = button.dataset.copy;
    var done = function () { button.textContent = button.dataset.copied || button.textContent; };
    var select = function () {
      var link = button.closest("details, section, div").querySelector("a[data-testid=my-link], .join-link a");
      if (!link) { return; }
      var range = document.createRange();
      range.selectNodeContents(link);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected: copy by hand */ }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, select);
    } else {
      select();
    }
  });
  // Moving people between tables by drag and drop on a desktop (issue 12): a progressive
  // enhancement of each person's "Déplacer vers…" form, which stays the way on phones and with
  // the keyboard. A drop fills that form's select with the target table and sends it, so the
  // command, its checks and its refusals are the same as a click on "Déplacer".
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var person = event.target.closest && event.target.closest("#tables-panel [data-person]");
    if (!person) { return; }
    dragged = person;
    person.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", person.dataset.person);
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    document.querySelectorAll("#tables-panel .drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
  });
  function dropZone(event) {
    return dragged && event.target.closest ? event.target.closest("#tables-panel [data-drop-table]") : null;
  }
  document.addEventListener("dragover", function (event) {
    var zone = dropZone(event);
    if (!zone) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    zone.classList.add("drop-target");
  });
  document.addEventListener("dragleave", function (event) {
    var zone = dropZone(event);
    if (zone && !zone.contains(event.relatedTarget)) { zone.classList.remove("drop-target"); }
  });
  document.addEventListener("drop", function (event) {
    var zone = dropZone(event);
    if (!zone) { return; }
    event.preventDefault();
    zone.classList.remove("drop-target");
    var form = dragged.querySelector("form.move-form");
    var target = zone.dataset.dropTable;
    if (!form || zone.contains(dragged)) { return; }
    var select = form.querySelector("select[name=table]");
    var option = select.querySelector('option[value="' + target + '"]');
    if (!option) {  // the room ("not seated"), which the menu does not list
      option = document.createElement("option");
      option.value = target;
      select.appendChild(option);
    }
    select.value = target;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true })); }
  });
  keepCsrf();
  measureOffset();
  watchPresence();
  connect();
  setInterval(tick, 250);
  // Heartbeat (presence) and a slow resync in case a signal was lost.
  setInterval(function () {
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: "ping" }));
      socket.send(JSON.stringify({ type: "sync", version: version() }));
    } else {
      refresh();
    }
  }, 20000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: "sync", version: version() }));
    }
  });
})();
