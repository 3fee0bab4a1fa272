/* feedbackwidget: the embeddable survey widget. One hand-written ES2017 file, no dependencies.
 * Embed: <script src="https://HOST/feedback/widget.js" data-site="KEY" async></script>
 * Optional: data-lang, data-position (bottom-right|bottom-left|right), data-color, data-debug.
 * Everything renders in a Shadow DOM; every server or visitor text goes through textContent.
 * The server serves this file in two parts: the loader (the button and the API) for the first paint,
 * then, fetched once the button is painted, the part between the @ui markers (triggers, outbox, dialog).
 * widget.css is split the same way and adopted into the shadow root. */
(function () {
  "use strict";
  const W = window, D = document, N = navigator;
  if (W.FeedbackWidget && W.FeedbackWidget.version) return;
  const S = D.currentScript || D.querySelector("script[data-site]");
  if (!S) return;
  const attr = (name) => S.getAttribute("data-" + name);
  const SITE = attr("site") || "";
  const BASE = S.src.replace(/\/widget(\.\w+)?\.js(\?.*)?$/, "");
  const API = BASE + "/api/v1/sites/" + encodeURIComponent(SITE);
  const DEBUG = attr("debug") != null && attr("debug") !== "false";
  // Filled in by the server: the button's CSS, and the file name of the dialog's script (the part
  // of this file between the @ui markers, loaded after the first paint). Served raw, this file is whole.
  const CSS = "__FW_CSS__";
  const UI_SRC = "__FW_UI__";
  const LOCALES = ["en", "hu", "zh"];
  const POSITIONS = ["bottom-right", "bottom-left", "right"];
  const log = (...args) => { if (DEBUG) console.info("[FeedbackWidget]", ...args); };

  // localStorage under one key per site; the widget sets no cookies.
  const KEY = "feedbackwidget:" + SITE;
  const load = () => { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } };
  const save = (change) => {
    const data = load();
    change(data);
    try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) { log("localStorage unavailable", e); }
    return data;
  };

  const state = {config: null, lang: null, customer: null, handlers: {}, started: Date.now(), tracked: [], ui: null};

  function emit(name, detail) {
    (state.handlers[name] || []).forEach((cb) => { try { cb(detail); } catch (e) { console.error(e); } });
  }

  // --- language: data-lang, then setLanguage(), then the browser's languages, then the site's default
  const norm = (tag) => {
    const primary = String(tag || "").trim().replace(/_/g, "-").split("-")[0].toLowerCase();
    return LOCALES.indexOf(primary) >= 0 ? primary : null;
  };
  function pickLocale() {
    const candidates = [attr("lang"), state.lang].concat(N.languages || [N.language]);
    for (const tag of candidates) if (norm(tag)) return norm(tag);
    return null;
  }

  // --- rendering (textContent only, never innerHTML)
  function h(tag, props, children) {
    const node = D.createElement(tag);
    for (const k in props || {}) {
      const v = props[k];
      if (v == null || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    (children || []).forEach((c) => c && node.appendChild(c));
    return node;
  }
  const str = (name, vars) => String((state.config.strings || {})[name] || name)
    .replace(/\{(\w+)\}/g, (m, k) => vars && k in vars ? vars[k] : m);
  function onColor(hex) {
    const rgb = hex.length === 4 ? hex.slice(1).split("").map((c) => c + c) : hex.slice(1).match(/../g);
    const lum = rgb.map((c) => parseInt(c, 16) / 255).map((c) => c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    const l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? "#111" : "#fff";
  }

  // The shadow host: a custom element, so host-page rules on div or button never match it.
  function mount() {
    if (state.host) return;
    const widget = state.config.widget || {};
    let color = attr("color") || widget.color || "";
    color = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? color : "#1f5fbf";
    let position = attr("position") || widget.position;
    position = POSITIONS.indexOf(position) >= 0 ? position : "bottom-right";
    let fallback = false;
    const host = state.host = D.createElement("feedback-widget");
    const root = state.root = host.attachShadow({mode: "open"});
    const vars = ":host{--fw-color:" + color + ";--fw-on-color:" + onColor(color) + "}";
    try {
      if (CSS.indexOf("__FW_") === 0) throw new Error("raw script: use the stylesheet link");
      root.adoptedStyleSheets = [sheet(CSS), sheet(vars)];
    } catch (e) {
      root.appendChild(h("link", {rel: "stylesheet", href: BASE + "/static/widget.css"}));
      fallback = true;
    }
    state.frame = h("div", {class: "fw fw-" + position, lang: state.config.locale});
    if (fallback) {
      state.frame.style.setProperty("--fw-color", color);
      state.frame.style.setProperty("--fw-on-color", onColor(color));
    }
    root.appendChild(state.frame);
    if (widget.show_button !== false) {
      state.button = h("button", {type: "button", class: "fw-button", "aria-haspopup": "dialog", "aria-expanded": "false",
        text: str("button"), onclick: () => api.open()});
      state.frame.appendChild(state.button);
    }
    D.body.appendChild(host);
  }

  function sheet(css) {
    const built = new CSSStyleSheet();
    built.replaceSync(css);
    return built;
  }

  // The rest of the widget: in this file when served raw, else its own script, fetched after the first paint.
  let ui = null, uiLoading = null;
  function withUi() {
    if (ui) return Promise.resolve(ui);
    const context = {state, str, h, load, save, emit, log, api, API};
    if (typeof createUi === "function") return Promise.resolve(ui = createUi(context));
    return uiLoading = uiLoading || new Promise((resolve, reject) => {
      api._register = (factory, css) => {
        try {
          state.root.adoptedStyleSheets = state.root.adoptedStyleSheets.concat([sheet(css)]);
        } catch (e) { log("dialog styles come from the stylesheet link"); }
        resolve(ui = factory(context));
      };
      D.head.appendChild(h("script", {src: BASE + "/" + UI_SRC, async: true, onerror: () => {
        uiLoading = null;
        reject(new Error("could not load " + UI_SRC));
      }}));
    });
  }
  // --- after the first paint: triggers, the outbox, the dialog (surveys, thank-you, complaint form)
  /*@ui*/
  function createUi({state, str, h, load, save, emit, log, api, API}) {
    const W = window, D = document, N = navigator;
    const DAY = 864e5;
    const now = () => Date.now();
    const uuid = () => (W.crypto && crypto.randomUUID) ? crypto.randomUUID()
      : now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
    state.waiting = [];

    // --- trigger rules (see README "Triggers")
    function globRegExp(glob) {
      const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
      return new RegExp("^" + body + "$");
    }
    function urlMatches(rule, loc) {
      const rules = Array.isArray(rule) ? rule : [rule];
      return rules.some((r) => {
        const pattern = String(r.value || "");
        const subject = /^https?:/.test(pattern) ? loc.href.split("#")[0] : loc.pathname + loc.search;
        if (r.match === "exact") return subject === pattern || loc.pathname === pattern;
        if (r.match === "glob") return globRegExp(pattern).test(subject) || globRegExp(pattern).test(loc.pathname);
        return subject.indexOf(pattern) === 0;
      });
    }
    function sampled(survey, percent) {
      const rolls = load().rolls || {};
      let roll = rolls[survey.slug];
      if (roll == null) {
        roll = Math.random() * 100;
        save((d) => { d.rolls = Object.assign(d.rolls || {}, {[survey.slug]: roll}); });
      }
      return roll < percent;
    }
    // Why *survey* may not be shown automatically now, or null when it may.
    function blockReason(survey) {
      const t = survey.triggers || {};
      if (t.url && !urlMatches(t.url, location)) return "URL rule " + JSON.stringify(t.url) + " does not match " + location.href;
      const seen = (load().seen || {})[survey.slug];
      const days = t.cooldown_days == null ? 30 : t.cooldown_days;
      if (seen && now() - seen < days * DAY) {
        return "cooldown: answered or dismissed on " + new Date(seen).toISOString() + ", asked again after " + days + " days";
      }
      if (t.sample_percent != null && !sampled(survey, t.sample_percent)) {
        return "sampling: this visitor is outside the " + t.sample_percent + "% sample";
      }
      return null;
    }
    const autoTriggers = (t) => ["delay_seconds", "exit_intent", "scroll_percent", "event"].filter((k) => t[k] != null && t[k] !== false);

    function fire(kind, value) {
      state.waiting.forEach((w) => {
        const t = w.survey.triggers;
        const events = [].concat(t.event || []);
        const hit = kind === "delay" ? w.at && now() >= w.at
          : kind === "exit" ? t.exit_intent
          : kind === "scroll" ? t.scroll_percent != null && value >= t.scroll_percent
          : kind === "event" && events.indexOf(value) >= 0;
        if (hit) tryAutoShow(w.survey, kind === "event" ? "event " + value : kind);
      });
    }
    function tryAutoShow(survey, why) {
      if (state.ui) return log("survey", survey.slug, "not shown (" + why + "): another survey is open");
      if (state.autoShown) return log("survey", survey.slug, "not shown (" + why + "): one survey per page view was already shown");
      const reason = blockReason(survey);
      if (reason) return log("survey", survey.slug, "not shown:", reason);
      state.waiting = state.waiting.filter((w) => w.survey !== survey);
      state.autoShown = true;
      log("survey", survey.slug, "shown: trigger", why);
      openSurvey(survey, why);
    }
    function armTriggers() {
      const surveys = state.config.surveys || [];
      if (!surveys.length) log("no survey shown: the site has no active survey");
      surveys.forEach((survey) => {
        const t = survey.triggers = survey.triggers || {};
        const kinds = autoTriggers(t);
        if (t.manual) return log("survey", survey.slug, "is manual: shown by the button or FeedbackWidget.open()");
        const reason = blockReason(survey);
        if (reason) return log("survey", survey.slug, "not shown:", reason);
        if (!kinds.length) return tryAutoShow(survey, "page load");
        const w = {survey, at: t.delay_seconds != null ? state.started + t.delay_seconds * 1000 : 0};
        state.waiting.push(w);
        log("survey", survey.slug, "waiting for:", kinds.map((k) => k + " " + JSON.stringify(t[k])).join(", "));
        if (w.at) setTimeout(() => fire("delay"), Math.max(0, w.at - now()));
      });
      state.tracked.forEach((event) => fire("event", event));
      state.armed = true;
      if (state.waiting.some((w) => w.survey.triggers.exit_intent) && W.matchMedia && matchMedia("(pointer: fine)").matches) {
        D.addEventListener("mouseout", (e) => { if (!e.relatedTarget && e.clientY <= 0) fire("exit"); });
      }
      if (state.waiting.some((w) => w.survey.triggers.scroll_percent != null)) W.addEventListener("scroll", () => {
        const el = D.documentElement;
        fire("scroll", ((W.scrollY + W.innerHeight) / Math.max(el.scrollHeight, 1)) * 100);
      }, {passive: true});
    }

    // --- nothing lost: a persisted outbox, Idempotency-Key per item, retries with backoff and Retry-After
    let flushing = false, again = false, retryTimer = null;
    // Spam defences: the honeypot's value and the time spent on the form go along; an answer given
    // quicker than the site's min_fill_ms waits in the queue until that much time has passed.
    function enqueue(path, body) {
      const ui = state.ui, opened = ui ? ui.openedAt : now(), minFill = state.config.min_fill_ms || 0;
      body.hp = ui ? ui.trap.value : "";
      body.elapsed_ms = Math.max(Math.round(now() - opened), minFill);
      const item = {key: uuid(), path, body: JSON.stringify(body), tries: 0, due: opened + minFill};
      save((d) => { (d.queue = d.queue || []).push(item); });
      return flush();
    }
    function dequeue(key, update) {
      save((d) => {
        d.queue = (d.queue || []).filter((item) => item.key !== key);
        if (update) d.queue.push(Object.assign(update.item, update.change));
      });
    }
    function retryDelay(response, tries) {
      const header = response && response.headers.get("Retry-After");
      const seconds = header && (/^\d+$/.test(header) ? +header : (Date.parse(header) - now()) / 1000);
      if (seconds >= 0) return seconds * 1000;
      return Math.min(300e3, 1000 * Math.pow(2, tries)) * (0.75 + Math.random() / 2);
    }
    async function send(item) {
      let response = null;
      try {
        response = await fetch(API + item.path, {method: "POST", body: item.body, keepalive: item.body.length < 6e4,
          credentials: "omit", headers: {"Content-Type": "application/json", "Idempotency-Key": item.key}});
      } catch (e) { log("send failed, will retry:", e.message); }
      const status = response ? response.status : 0;
      const refused = status >= 400 && status < 500 && status !== 408 && status !== 429;
      if (refused) log("submission refused with HTTP " + status + ", dropped:", item.body);
      if ((status && status < 400) || refused) {
        dequeue(item.key);
        return true;
      }
      const delay = retryDelay(response, item.tries);
      // held: the server asked us to wait (Retry-After); otherwise a new page load or `online` retries at once.
      const held = !!(response && response.headers.get("Retry-After"));
      dequeue(item.key, {item, change: {tries: item.tries + 1, due: now() + delay, held}});
      schedule(delay);
      return false;
    }
    function schedule(delay) {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, delay);
    }
    async function flush() {
      if (N.onLine === false || W.FeedbackWidget !== api) return;  // offline, or a newer copy took over
      if (flushing) { again = true; return; }
      flushing = true;
      try {
        for (const item of load().queue || []) {
          if (item.due > now()) { schedule(item.due - now()); continue; }
          if (!(await send(item))) break;
        }
      } finally { flushing = false; }
      if (again) { again = false; return flush(); }
    }
    function retryNow() {
      save((d) => (d.queue || []).forEach((item) => { if (!item.held) item.due = 0; }));
      return flush();
    }
    W.addEventListener("online", retryNow);
    W.addEventListener("pagehide", () => flush());

    const BANDS = (score) => score <= 6 ? "detractor" : score <= 8 ? "passive" : "promoter";

    function openDialog(onDismiss) {
      const returnTo = state.ui ? state.ui.returnTo : D.activeElement === state.host ? state.button : D.activeElement;
      closeDialog(true);
      const body = h("div", {class: "fw-body"});
      const title = h("h2", {id: "fw-title", class: "fw-title", text: str("dialog_title")});
      const dialog = h("div", {role: "dialog", "aria-modal": "true", "aria-labelledby": "fw-title", class: "fw-dialog",
        tabindex: "-1", onkeydown: trapKeys}, [
        h("div", {class: "fw-head"}, [title, h("button", {type: "button", class: "fw-close", "aria-label": str("close"),
          text: "\u00d7", onclick: () => closeDialog()})]), body]);
      // The honeypot: a field no person sees or reaches (hidden), which form-filling bots fill.
      const trap = h("input", {name: "website", tabindex: "-1", autocomplete: "off"});
      dialog.appendChild(h("div", {hidden: true}, [trap]));
      state.frame.appendChild(dialog);
      if (state.button) state.button.setAttribute("aria-expanded", "true");
      state.ui = {dialog, body, returnTo, onDismiss, title, trap, openedAt: now()};
      return state.ui;
    }
    // Tabbable controls in order; of a radio group only its checked (else first) radio.
    function focusables() {
      const all = [].slice.call(state.ui.dialog.querySelectorAll("button,input,textarea,select,a[href]"));
      const group = (el) => all.filter((r) => r.type === "radio" && r.name === el.name);
      return all.filter((el) => !el.disabled && !el.closest("[hidden]") &&
        (el.type !== "radio" || el.checked || (!group(el).some((r) => r.checked) && group(el)[0] === el)));
    }
    function trapKeys(e) {
      if (e.key === "Escape") { e.preventDefault(); return closeDialog(); }
      if (e.key !== "Tab") return;
      const items = focusables(), first = items[0], last = items[items.length - 1];
      const active = state.root.activeElement;
      if (e.shiftKey && (active === first || active === state.ui.dialog)) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && active === last) { e.preventDefault(); first.focus(); }
    }
    function closeDialog(silent) {
      const ui = state.ui;
      if (!ui) return;
      state.ui = null;
      ui.dialog.remove();
      if (state.button) state.button.setAttribute("aria-expanded", "false");
      if (silent) return;
      if (ui.onDismiss) ui.onDismiss();
      if (ui.returnTo && ui.returnTo.focus && (D.contains(ui.returnTo) || state.root.contains(ui.returnTo))) ui.returnTo.focus();
    }
    function markSeen(slug) { save((d) => { d.seen = Object.assign(d.seen || {}, {[slug]: Date.now()}); }); }

    function visibleQuestions(survey, answers) {
      return survey.questions.filter((q) => !q.show_if || q.show_if.in.indexOf(answers[q.show_if.question]) >= 0);
    }
    function optionsOf(q) {
      if (q.type === "nps") return Array.from({length: 11}, (_, i) => ({value: i, text: String(i)}));
      if (q.type === "csat") return ["excellent", "good", "bad"].map((v) => ({value: v, text: str(v)}));
      if (q.type === "yes_no") return [{value: true, text: str("yes")}, {value: false, text: str("no")}];
      return q.options || [];
    }
    function questionText(q, answers) {
      const score = answers[q.follow_up_of];
      return q.follow_up_of && score != null && (q.text_by_band || {})[BANDS(score)] || q.text;
    }
    function renderQuestion(q, answers) {
      if (q.type === "text") {
        const max = q.max_length || 2000;
        const count = h("p", {id: "fw-count", class: "fw-count"});
        const area = h("textarea", {id: "fw-answer", name: "answer", maxlength: max, rows: 4, "aria-describedby": "fw-count fw-error",
          "aria-required": q.required ? "true" : null, oninput: update});
        area.value = answers[q.key] || "";
        function update() {
          const left = max - area.value.length;
          count.textContent = str("chars_left", {count: left});
          if (left < 50) count.setAttribute("aria-live", "polite");
        }
        update();
        return {node: h("div", {class: "fw-q"}, [h("label", {for: "fw-answer", class: "fw-legend", text: questionText(q, answers)}), area, count]),
          focus: () => area, read: () => area.value.trim() ? area.value : null};
      }
      const options = optionsOf(q);
      const inputs = options.map((o, i) => h("input", {type: "radio", name: "answer", value: String(i), id: "fw-o" + i,
        checked: answers[q.key] === o.value}));
      const hint = q.type === "nps" ? h("div", {class: "fw-hint", id: "fw-hint"}, [h("span", {text: str("nps_low")}), h("span", {text: str("nps_high")})]) : null;
      const group = h("fieldset", {class: "fw-q", role: "radiogroup", "aria-describedby": hint ? "fw-hint fw-error" : "fw-error",
        "aria-required": q.required ? "true" : null}, [
        h("legend", {class: "fw-legend", text: questionText(q, answers)}),
        h("div", {class: "fw-options fw-" + q.type}, options.map((o, i) => h("label", {class: "fw-option", for: "fw-o" + i}, [inputs[i], h("span", {text: o.text})]))),
        hint]);
      const checked = () => inputs.filter((i) => i.checked)[0];
      return {node: group, focus: () => checked() || inputs[0], read: () => checked() ? options[+checked().value].value : null};
    }

    function openSurvey(survey, trigger) {
      const answers = {};
      let index = 0, done = false;
      const ui = openDialog(() => { if (!done) { markSeen(survey.slug); emit("dismissed", {survey: survey.slug}); } });
      ui.survey = survey.slug;
      // Shown by itself while the visitor types into the page: do not take the focus away (WCAG 3.2.1).
      let passive = trigger !== "open" && /^(INPUT|TEXTAREA|SELECT)$/.test((D.activeElement || {}).tagName);
      if (passive) ui.dialog.setAttribute("aria-modal", "false");
      function step() {
        const questions = visibleQuestions(survey, answers), q = questions[index];
        const view = renderQuestion(q, answers);
        const error = h("p", {id: "fw-error", class: "fw-error", role: "alert"});
        const last = index === questions.length - 1;
        const form = h("form", {class: "fw-form", novalidate: true, onsubmit: (e) => {
          e.preventDefault();
          const value = view.read();
          if (value == null && q.required) {
            error.textContent = str("required");
            view.focus().focus();
            return;
          }
          if (value == null) delete answers[q.key]; else answers[q.key] = value;
          if (index < visibleQuestions(survey, answers).length - 1) { index++; step(); } else finish();
        }}, [
          h("progress", {class: "fw-progress", max: questions.length, value: index + 1, "aria-hidden": "true"}),
          h("p", {class: "fw-step", text: str("progress", {current: index + 1, total: questions.length})}),
          view.node, error,
          h("div", {class: "fw-actions"}, [
            index > 0 ? h("button", {type: "button", class: "fw-secondary", text: str("back"), onclick: () => { index--; step(); }}) : null,
            h("button", {type: "submit", class: "fw-primary", text: str(last ? "send" : "next")})])]);
        ui.body.textContent = "";
        ui.body.appendChild(form);
        complaintEntry(ui);
        if (!passive) view.focus().focus();
        passive = false;
      }
      function finish() {
        done = true;
        const given = {};
        visibleQuestions(survey, answers).forEach((q) => { if (answers[q.key] != null) given[q.key] = answers[q.key]; });
        const body = {survey: survey.slug, answers: given, page_url: location.href.slice(0, 2048), locale: state.config.locale};
        if (state.customer) body.customer = state.customer;
        markSeen(survey.slug);
        enqueue("/responses", body);
        thanks(ui, str("thanks"));
        emit("submitted", {survey: survey.slug, answers: given});
      }
      step();
      emit("shown", {survey: survey.slug, trigger: trigger || "open"});
    }

    function thanks(ui, text) {
      const close = h("button", {type: "button", class: "fw-primary", text: str("close"), onclick: () => closeDialog()});
      ui.body.textContent = "";
      ui.body.appendChild(h("div", {class: "fw-thanks", role: "status"}, [h("p", {text}),
        N.onLine === false ? h("p", {class: "fw-note", text: str("offline")}) : null, close]));
      close.focus();
    }

    // Complaints: offered only when the site config says the complaint API is there (config.complaints.enabled).
    function complaintEntry(ui) {
      const c = state.config.complaints;
      if (!c || !c.enabled) return;
      ui.body.appendChild(h("button", {type: "button", class: "fw-link", text: str("complaint_link"),
        onclick: () => openComplaint()}));
    }
    function field(id, label, control, hint) {
      control.id = id;
      control.setAttribute("aria-describedby", id + "-error");
      return h("div", {class: "fw-field"}, [h("label", {for: id, class: "fw-label", text: label}), control, hint || null,
        h("p", {id: id + "-error", class: "fw-error"})]);
    }
    function openComplaint() {
      const c = state.config.complaints;
      const ui = openDialog(null);
      ui.title.textContent = str("complaint_title");
      const who = state.customer || {};
      const category = h("select", {name: "category"}, (c.categories || []).map((o) => h("option", {value: o.value, text: o.text})));
      const description = h("textarea", {name: "description", rows: 3, maxlength: 2000, "aria-required": "true"});
      const wish = h("textarea", {name: "desired_resolution", rows: 2, maxlength: 2000, "aria-required": "true"});
      const name = h("input", {name: "name", autocomplete: "name", maxlength: 200, "aria-required": "true"});
      const email = h("input", {type: "email", name: "email", autocomplete: "email", maxlength: 254, "aria-required": "true", value: who.email});
      const order = h("input", {name: "order_number", maxlength: 64});
      const consent = h("input", {type: "checkbox", id: "fw-c-consent", "aria-describedby": "fw-c-consent-error"});
      const policy = /^https?:\/\//.test(c.privacy_policy_url || "")
        ? h("a", {href: c.privacy_policy_url, target: "_blank", rel: "noopener", text: str("privacy_policy")}) : null;
      const form = h("form", {class: "fw-form", novalidate: true, onsubmit: submit}, [
        field("fw-c-category", str("complaint_category"), category),
        field("fw-c-description", str("complaint_description"), description),
        field("fw-c-wish", str("complaint_resolution"), wish),
        field("fw-c-name", str("complaint_name"), name),
        field("fw-c-email", str("complaint_email"), email),
        field("fw-c-order", str("complaint_order"), order),
        h("div", {class: "fw-field fw-consent"}, [consent, h("label", {for: "fw-c-consent", text: str("complaint_consent")}), policy,
          h("p", {id: "fw-c-consent-error", class: "fw-error"})]),
        h("div", {class: "fw-actions"}, [h("button", {type: "submit", class: "fw-primary", text: str("complaint_send")})])]);
      ui.body.appendChild(form);
      category.focus();
      function submit(e) {
        e.preventDefault();
        const errors = [[description, !description.value.trim() && "required"], [wish, !wish.value.trim() && "required"], [name, !name.value.trim() && "required"],
          [email, !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value.trim()) && "invalid_email"],
          [consent, !consent.checked && "consent_required"]];
        errors.forEach(([input, error]) => {
          ui.dialog.querySelector("#" + input.id + "-error").textContent = error ? str(error) : "";
          if (error) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
        });
        const wrong = errors.filter((x) => x[1])[0];
        if (wrong) return wrong[0].focus();
        const body = {category: category.value, description: description.value, desired_resolution: wish.value,
          name: name.value.trim(), email: email.value.trim(), order_number: order.value.trim() || null, consent: true,
          locale: state.config.locale};
        if (who.id || who.loyalty_tier) body.customer = {id: who.id, loyalty_tier: who.loyalty_tier};
        enqueue("/complaints", body);
        thanks(ui, str("complaint_thanks"));
      }
    }

    // The Feedback button and FeedbackWidget.open(): the survey for this page (URL rule), else the complaint form.
    function open(slug) {
      const surveys = state.config.surveys || [];
      const survey = slug ? surveys.filter((s) => s.slug === slug)[0]
        : surveys.filter((s) => !s.triggers || !s.triggers.url || urlMatches(s.triggers.url, location))[0] || surveys[0];
      if (survey) return openSurvey(survey, "open");
      if (!slug && state.config.complaints && state.config.complaints.enabled) return openComplaint();
      log("open(" + (slug || "") + "): no such active survey");
    }

    retryNow();
    return {open, openSurvey, openComplaint, closeDialog, armTriggers, fire, BANDS, urlMatches, globRegExp, blockReason, flush, enqueue};
  }
  /*@ui-end*/

  // --- the public API
  function start(config) {
    state.config = config;
    mount();
    // After the first paint: load the rest, then arm the triggers and open what was asked for meanwhile.
    (W.requestIdleCallback || setTimeout)(() => withUi().then((loaded) => {
      loaded.armTriggers();
      if (state.pendingOpen != null) loaded.open(state.pendingOpen);
    }, (e) => log("no survey shown:", e.message)));
  }
  function fetchConfig() {
    const locale = pickLocale();
    return fetch(API + "/config" + (locale ? "?locale=" + locale : ""), {credentials: "omit"})
      .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .catch((e) => { log("no survey shown: the site config could not be loaded:", e.message); return null; });
  }

  const queued = (W.FeedbackWidget && W.FeedbackWidget.q) || [];
  const api = W.FeedbackWidget = {
    version: 2,
    open(slug) {
      if (!state.config) { state.pendingOpen = slug || ""; return Promise.resolve(); }
      return withUi().then((loaded) => loaded.open(slug), (e) => log("not opened:", e.message));
    },
    close: () => { if (ui) ui.closeDialog(); },
    identify(customer) {
      const c = customer || {};
      const clean = {id: c.id, email: c.email, loyalty_tier: c.loyaltyTier};
      Object.keys(clean).forEach((k) => { if (clean[k] == null || clean[k] === "") delete clean[k]; else clean[k] = String(clean[k]); });
      state.customer = Object.keys(clean).length ? clean : null;
    },
    track(event) {
      log("track", event);
      state.tracked.push(String(event));
      if (state.armed) ui.fire("event", String(event));
    },
    setLanguage(code) {
      if (attr("lang")) log("setLanguage(" + code + ") ignored: data-lang=" + attr("lang") + " comes first");
      state.lang = code;
      if (!state.config || pickLocale() === state.config.locale) return Promise.resolve();
      return fetchConfig().then((config) => {
        if (!config) return;
        state.config = config;
        if (state.button) state.button.textContent = str("button");
        if (state.frame) state.frame.setAttribute("lang", config.locale);
      });
    },
    on(name, callback) { (state.handlers[name] = state.handlers[name] || []).push(callback); return api; },
    // Internal, for the widget's own unit tests: not part of the public API.
    _: {norm, pickLocale, load, state, onColor, withUi},
  };
  queued.forEach((call) => { if (typeof api[call[0]] === "function") api[call[0]].apply(api, call.slice(1)); });
  if (!SITE) return log("not started: the script tag has no data-site attribute");
  // A submission left from an earlier page is sent now, even if no config comes.
  if ((load().queue || []).length) withUi().catch((e) => log(e.message));
  fetchConfig().then((config) => { if (config) start(config); });
})();
