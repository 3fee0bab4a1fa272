/* feedbackwidget: the embeddable survey widget. One hand-written ES2017 file, no dependencies.
 * Embed: <script src="https://HOST/feedback/widget.js" data-site="KEY" async></script>
 * Optional: data-lang, data-position (bottom-right|bottom-left|right), data-color, data-debug.
 * Everything renders in a Shadow DOM; every server or visitor text goes through textContent.
 *
 * This file runs as it is (the unit tests run it raw). Shops get it minified by `npm run build`:
 * static/widget.min.js with widget.css inside, the part between the @complaint markers (the
 * complaint form) as static/widget-complaint.min.js, fetched only when a visitor opens that form,
 * and the part between the @debug markers as static/widget-debug.min.js, fetched only with
 * data-debug; what is between @raw markers only the raw file needs, and the build leaves it out.
 * The whole widget must stay within 6 KB gzipped (README "Widget"), hence a few habits: state lives
 * in closure variables, not object properties (a minifier shortens the former, never the latter);
 * debug mode logs codes and data, which the @debug part turns into sentences; the complaint form
 * gets what it needs as arguments, not as an object's properties; whatever the server can work out
 * comes in the site config. */
(function () {
  "use strict";
  const W = window, D = document, N = navigator;
  if (W.FeedbackWidget && W.FeedbackWidget.version) return;
  const S = D.currentScript || D.querySelector("script[data-site]");
  if (!S) return;
  const attr = (name) => S.getAttribute("data-" + name);
  const SITE = attr("site") || "";
  const BASE = new URL(".", S.src).href;  // https://HOST/feedback/
  const API = BASE + "api/v1/sites/" + encodeURIComponent(SITE);
  const DEBUG = attr("debug") != null && attr("debug") != "false";
  // Filled in by the build (widget.css up to its @complaint marker); raw, the stylesheet is linked.
  const CSS = "__FW_CSS__";
  const now = () => Date.now();

  // The parts between the @debug and the @complaint markers come as scripts of their own in the build,
  // fetched when first needed: part(name, script) promises what the script hands over, calling
  // FeedbackWidget._<name>(...code) (once more after a failure: offline, say). Raw, each part is in
  // this file and hands its code over at once by ready(name, ...code). (Nothing calls part() before
  // the api below exists.)
  const parts = {};
  const ready = (name, ...code) => parts[name] = Promise.resolve(code);
  function part(name, script) {
    return parts[name] = parts[name] || new Promise((resolve, reject) => {
      api["_" + name] = (...code) => resolve(code);
      D.head.append(h("script", {src: BASE + script, onerror: () => { parts[name] = null; reject(); }}));
    });
  }
  // Debug mode: log(code, ...data) tells the console why a survey was or was not shown, in the words
  // of the @debug part, fetched with the first message (never without data-debug); the messages wait
  // for it, in order. The codes are numbers (the build writes them in), the debug part's sentences
  // come in their order; the first four say why a survey is not shown, and so does a time, the end
  // of its cooldown (blockReason()).
  const LOG_URL = 1, LOG_SAMPLE = 2, LOG_DIALOG = 3, LOG_ONCE = 4, LOG_SHOWN = 5, LOG_MANUAL = 6, LOG_WAITS = 7,
    LOG_NONE = 8, LOG_STORAGE = 9, LOG_SEND = 10, LOG_COMPLAINT = 11, LOG_OPEN = 12, LOG_CONFIG = 13,
    LOG_TRACK = 14, LOG_LANG = 15, LOG_SITE = 16;
  const log = (...args) => DEBUG && part("debug", "__FW_DEBUG__").then(([say]) => say(...args), () => {});

  /*@debug*/
  // The debug part: the sentences for log()'s codes. The survey's codes are blockReason()'s and
  // tryAutoShow()'s: why it is not shown, with the moment that would have shown it (none: on load).
  ready("debug", (code, subject, detail) => {
    const slug = subject && subject.slug, t = slug && subject.triggers;
    // By code: LOG_URL, LOG_SAMPLE, LOG_DIALOG, LOG_ONCE (why not shown), then LOG_SHOWN to LOG_SITE.
    const sentences = [,
      () => "URL rule " + JSON.stringify(t.url) + " does not match " + location.href,
      () => "sampling: outside the " + t.sample_percent + "% sample",
      () => "a dialog is open",
      () => "one survey per page view has shown already",
      () => "shown: trigger " + detail,
      () => "is manual: only the Feedback button or FeedbackWidget.open() shows it",
      () => "waits for " + JSON.stringify(t, detail),
      () => "no active survey for this site",
      () => "localStorage is not available: " + subject,
      () => "sending failed, will retry: " + subject.message,
      () => "the complaint form's script did not load",
      () => "open(" + (subject || "") + "): no such survey",
      () => "no site config: " + (subject > 0 ? "HTTP " + subject : subject),
      () => "track " + subject,
      () => "data-lang comes before setLanguage()",
      () => "no data-site attribute on the script tag",
    ];
    // A time (not a code): when the survey's cooldown ends (it was answered or dismissed).
    const reason = code > 99 ? "cooldown (answered or dismissed) till " + new Date(code).toISOString()
      : code < 5 && sentences[code]();
    const sentence = reason ? "not shown" + (detail ? " (" + detail + ")" : "") + ": " + reason : sentences[code]();
    console.info("[FeedbackWidget]", ...(slug ? ["survey", slug, sentence] : [sentence]));
  });
  /*@debug-end*/

  // What this page view knows: the site config, the shadow root and its parts, the open dialog's parts.
  let config, lang, root, frame, button, host, waiting = [], autoShown, pendingOpen;
  let dialog, body, trap, openedAt, returnTo, onDismiss, customer;
  const handlers = {}, tracked = [], started = now();
  const emit = (name, detail) => (handlers[name] || []).forEach((cb) => { try { cb(detail); } catch (e) { console.error(e); } });

  // localStorage under one key per site; the widget sets no cookies.
  const KEY = "feedbackwidget:" + SITE;
  // What is stored, with an empty queue, seen and rolls where none is.
  function load(data) {
    try { data = JSON.parse(localStorage.getItem(KEY)); } catch (e) {}
    return Object.assign({queue: [], seen: {}, rolls: {}}, data);
  }
  function save(change) {
    const data = load();
    change(data);
    try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) { log(LOG_STORAGE, e); }
  }

  // --- rendering: textContent only, never innerHTML
  function h(tag, props, children = []) {
    const node = D.createElement(tag);
    for (const k in props) {
      const v = props[k];
      if (v == null || v === false) continue;
      if (k == "text") node.textContent = v;
      else if (k.startsWith("on")) node[k] = v;
      else node.setAttribute(k, v);
    }
    children.forEach((c) => c && node.append(c));
    return node;
  }
  // Without a type, a button submits its form: Back, the one other button inside a form, says "button".
  const makeButton = (cls, text, onclick, type) => h("button", {type, class: cls, text, onclick});
  // The UI strings come as a list, the site config's "strings", in the order of CONFIG_STRINGS in
  // feedbackwidget/widget/strings.py: these name the places (tests/test_widget_config.py holds the two
  // to one order; the build writes the numbers in).
  const STRING_BUTTON = 0, STRING_DIALOG_TITLE = 1, STRING_CLOSE = 2, STRING_SEND = 3, STRING_NEXT = 4, STRING_BACK = 5,
    STRING_PROGRESS = 6, STRING_THANKS = 7, STRING_REQUIRED = 8, STRING_CHARS_LEFT = 9, STRING_OFFLINE = 10,
    STRING_REFUSED = 11, STRING_COMPLAINT_LINK = 12;
  // A UI string, its {placeholders} filled in from *vars* (only "progress" and "chars_left" have any:
  // tests/test_widget_config.py holds every translation to that).
  const str = (place, vars) => config.strings[place].replace(/\{(\w+)\}/g, (m, k) => vars[k]);
  // Constructed stylesheets need no CSP allowance; where they are missing (or raw) the stylesheet is linked
  // (the whole file, the complaint form's styles too: a second link to it, when the form comes, does no harm).
  function adopt(css) {
    try {
      // Raw, CSS is still its placeholder: link the stylesheet. (The build fills it in, so leaves this out.)
      /*@raw*/if (css.startsWith("__FW_")) throw css;/*@raw-end*/
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = root.adoptedStyleSheets.concat(sheet);
    } catch (e) {
      root.prepend(h("link", {rel: "stylesheet", href: BASE + "static/widget.css"}));
    }
  }

  // --- trigger rules (see README "Triggers")
  // The server writes each URL rule as a regular expression (a rule for the path rules out the whole URL):
  // it is matched against the URL without its #fragment, the path and query, and the path.
  const urlMatches = (rules) => rules.some((rule) => [location.href.split("#")[0], location.pathname + location.search,
    location.pathname].some((subject) => RegExp(rule).test(subject)));
  // Why *survey* may not be shown by itself now (LOG_URL, LOG_SAMPLE, or the time its cooldown ends),
  // or null when it may.
  function blockReason(survey) {
    const t = survey.triggers, slug = survey.slug, data = load(), rolls = data.rolls;
    const until = data.seen[slug] + t.cooldown_days * 864e5;
    if (t.url && !urlMatches(t.url)) return LOG_URL;
    if (until > now()) return until;
    if (t.sample_percent == null) return null;
    // Sampling is decided once per visitor: the roll is kept.
    if (rolls[slug] == null) save((d) => { d.rolls[slug] = rolls[slug] = Math.random() * 100; });
    return rolls[slug] < t.sample_percent ? null : LOG_SAMPLE;
  }
  // A moment happened: show the waiting surveys whose triggers it *hits* (the first one wins: once one has
  // shown, autoShown keeps the rest, itself too, from showing by themselves).
  const fire = (hits, why) => waiting.forEach((survey) => hits(survey.triggers) && tryAutoShow(survey, why));
  const fireEvent = (name) => fire((t) => [].concat(t.event).includes(name), "event " + name);
  function tryAutoShow(survey, why) {
    const reason = dialog ? LOG_DIALOG : autoShown ? LOG_ONCE : blockReason(survey);
    if (reason) return log(reason, survey, why);
    autoShown = true;
    log(LOG_SHOWN, survey, why);
    openSurvey(survey, why);
  }
  function arm() {
    if (!config.surveys.length) log(LOG_NONE);
    config.surveys.forEach((survey) => {
      const t = survey.triggers;
      const moments = ["delay_seconds", "exit_intent", "scroll_percent", "event"].filter((k) => k in t);
      const reason = !t.manual && blockReason(survey);
      if (t.manual) log(LOG_MANUAL, survey);
      else if (reason) log(reason, survey);
      else if (!moments.length) tryAutoShow(survey, "page load");
      else {
        waiting.push(survey);
        log(LOG_WAITS, survey, moments);
        if (t.delay_seconds != null) setTimeout(fire, started + t.delay_seconds * 1e3 - now(), (x) => x == t, "delay");
      }
    });
    tracked.forEach(fireEvent);
    const awaits = (key) => waiting.some((s) => key in s.triggers);
    // Exit intent needs a mouse: the pointer leaving through the top of the window.
    if (awaits("exit_intent") && W.matchMedia("(pointer: fine)").matches) {
      D.addEventListener("mouseout", (e) => e.relatedTarget || e.clientY > 0 || fire((t) => t.exit_intent, "exit"));
    }
    if (awaits("scroll_percent")) W.addEventListener("scroll", () => {
      const percent = (W.scrollY + W.innerHeight) / Math.max(D.documentElement.scrollHeight, 1) * 100;
      fire((t) => percent >= t.scroll_percent, "scroll");
    }, {passive: true});
  }

  // --- nothing lost: a persisted outbox, an Idempotency-Key per item, retries with backoff and Retry-After
  let flushing, again, retryTimer;
  // Spam defences: the honeypot's value and the time spent on the form go along; an answer given
  // quicker than the site's min_fill_ms waits in the outbox until that much time has passed.
  function enqueue(path, data) {
    const opened = dialog ? openedAt : now(), minFill = config.min_fill_ms;
    data.hp = dialog ? trap.value : "";
    data.elapsed_ms = Math.max(Math.round(now() - opened), minFill);
    // 128 random bits (getRandomValues works on plain http pages too, unlike randomUUID).
    const key = crypto.getRandomValues(new Uint32Array(4)).join("-");
    save((d) => { d.queue.push({key, path, body: JSON.stringify(data), tries: 0, due: opened + minFill}); });
    return flush();
  }
  // One try: true when the item is done with (stored, or refused for good).
  async function send(item) {
    let response, status = 0;
    try {
      response = await fetch(API + item.path, {method: "POST", body: item.body, keepalive: item.body.length < 6e4,
        credentials: "omit", headers: {"Content-Type": "application/json", "Idempotency-Key": item.key}});
      status = response.status;
    } catch (e) { log(LOG_SEND, e); }
    const refused = status >= 400 && status < 500 && status != 408 && status != 429;
    // Refused for good (origin, survey, answers): nothing to retry. The visitor learns it was not
    // sent, the console why (the server's {"code", "message"}).
    if (refused) {
      response.text().then((why) => console.warn(API + item.path, status, why));
      if (dialog) thanks(str(STRING_REFUSED));
    }
    const done = status && (status < 400 || refused);
    // Retry-After is seconds or an HTTP date; without it, exponential backoff with jitter.
    const header = response && response.headers.get("Retry-After");
    const wait = header && (isNaN(header) ? Date.parse(header) - now() : header * 1e3);
    const delay = wait >= 0 ? wait : Math.min(3e5, 1e3 * 2 ** item.tries) * (0.75 + Math.random() / 2);
    save((d) => {
      d.queue = d.queue.filter((i) => i.key != item.key);
      // held: the server asked us to wait; otherwise `online` or the next page load retries at once.
      if (!done) d.queue.push(Object.assign(item, {tries: item.tries + 1, due: now() + delay, held: !!header}));
    });
    return done;
  }
  async function flush() {
    if (N.onLine === false || W.FeedbackWidget != api) return;  // offline, or a newer copy took over
    if (flushing) return again = true;
    flushing = true;
    try {
      for (const item of load().queue) if (item.due <= now() && !await send(item)) break;
    } finally { flushing = false; }
    if (again) {
      again = false;
      return flush();
    }
    // Wake up when the next waiting item is due.
    const next = Math.min(...load().queue.map((i) => i.due));
    clearTimeout(retryTimer);
    if (next < 1 / 0) retryTimer = setTimeout(flush, next - now());
  }
  function retryNow() {
    save((d) => d.queue.forEach((item) => { if (!item.held) item.due = 0; }));
    return flush();
  }

  // --- the dialog: one at a time; openDialog returns its body
  function openDialog(dismissed, heading) {
    const back = dialog ? returnTo : D.activeElement == host ? button : D.activeElement;
    closeDialog(true);
    returnTo = back;
    onDismiss = dismissed;
    openedAt = now();
    // The honeypot: a field no person sees or reaches (hidden), which form-filling bots fill.
    trap = h("input", {name: "website", tabindex: -1, autocomplete: "off"});
    const close = makeButton("fw-close", "\u00d7", () => closeDialog());
    close.setAttribute("aria-label", str(STRING_CLOSE));
    frame.append(dialog = h("div", {role: "dialog", "aria-modal": true, "aria-labelledby": "fw-title", class: "fw-dialog",
      tabindex: -1, onkeydown: keys}, [
      h("div", {class: "fw-head"}, [h("h2", {id: "fw-title", text: heading || str(STRING_DIALOG_TITLE)}), close]),
      body = h("div"), h("div", {hidden: ""}, [trap])]));
    expanded(true);
    return body;
  }
  const expanded = (open) => button && button.setAttribute("aria-expanded", open);
  // Escape closes; Tab wraps around. Every view starts with the close button and ends with a button
  // (send, "Tell us", close), so those two are the first and last stops.
  function keys(e) {
    const buttons = dialog.querySelectorAll("button"), first = buttons[0], last = buttons[buttons.length - 1];
    const active = root.activeElement;
    if (e.key == "Escape") closeDialog();
    else if (e.key != "Tab") return;
    else if (e.shiftKey && (active == first || active == dialog)) last.focus();
    else if (!e.shiftKey && active == last) first.focus();
    else return;
    e.preventDefault();
  }
  function closeDialog(quiet) {
    if (!dialog) return;
    dialog.remove();
    dialog = null;
    expanded(false);
    if (quiet) return;
    if (onDismiss) onDismiss();
    if (returnTo) returnTo.focus();  // a no-op once it left the page
  }
  const markSeen = (slug) => save((d) => { d.seen[slug] = now(); });

  // --- a survey, one question per step
  // The progress counts the questions that may still be shown: those without a condition, those whose
  // condition the answers given meet, and those whose condition waits for an answer not given yet (to
  // the question asked, at *index*, or a later one). So it says "Question 1 of 2" where a second
  // question may follow, and as the visitor goes on its total only ever shrinks, never grows.
  function openSurvey(survey, trigger) {
    const answers = {}, slug = survey.slug, questions = survey.questions, path = [];
    let index = 0, done;
    const view = openDialog(() => done || (markSeen(slug), emit("dismissed", {survey: slug})));
    // Shown by itself while the visitor types into the page: do not take the focus away (WCAG 3.2.1).
    let passive = trigger != "open" && /^(INPUT|TEXTAREA|SELECT)$/.test((D.activeElement || {}).tagName);
    if (passive) dialog.setAttribute("aria-modal", false);
    // Whether *q* is shown by the answers given; with *at*, whether it may still be, asking question *at*.
    const shows = (q, at, c = q.show_if) => !c || c.in.includes(answers[c.question])
      || questions.findIndex((p) => p.key == c.question) >= at;
    function step() {
      // The path holds the questions asked before this one.
      const q = questions[index], total = questions.filter((p) => shows(p, index)).length, current = path.length + 1;
      const [node, control, read] = renderQuestion(q, answers);
      const error = h("p", {id: "fw-error", class: "fw-error", role: "alert"});
      view.textContent = "";
      view.append(h("form", {novalidate: "", oninput: () => read() != null && (error.textContent = ""), onsubmit: (e) => {
        e.preventDefault();
        const value = read();
        if (value == null && q.required) {
          error.textContent = str(STRING_REQUIRED);
          return control.focus();
        }
        answers[q.key] = value;
        const next = questions.findIndex((p, i) => i > index && shows(p));
        if (next < 0) return finish();
        path.push(index);
        index = next;
        step();
      }}, [
        h("progress", {max: total, value: current, "aria-hidden": true}),
        h("p", {class: "fw-step", text: str(STRING_PROGRESS, {current, total})}),
        node, error,
        h("div", {class: "fw-actions"}, [
          path.length && makeButton("fw-secondary", str(STRING_BACK), () => { index = path.pop(); step(); }, "button"),
          makeButton("fw-primary", str(current < total ? STRING_NEXT : STRING_SEND))])]));
      if (config.complaints.enabled) view.append(makeButton("fw-link", str(STRING_COMPLAINT_LINK), openComplaint));
      if (!passive) control.focus();
      passive = false;
    }
    function finish() {
      const given = {};
      questions.forEach((q) => { if (shows(q) && answers[q.key] != null) given[q.key] = answers[q.key]; });
      done = true;
      markSeen(slug);
      enqueue("/responses", {survey: slug, answers: given, page_url: location.href.slice(0, 2048), locale: config.locale,
        customer});
      thanks(str(STRING_THANKS));
      emit("submitted", {survey: slug, answers: given});
    }
    step();
    emit("shown", {survey: slug, trigger});
  }
  // Question *q* rendered: [its node, the control to focus, a function reading its answer (null: none)].
  function renderQuestion(q, answers) {
    const score = answers[q.follow_up_of];
    // A follow-up's texts come for a detractor (0-6), a passive (7-8) and a promoter (9-10), in that order.
    const band = score <= 6 ? 0 : score <= 8 ? 1 : 2;
    const text = q.follow_up_of && score != null && q.text_by_band[band] || q.text;
    const required = q.required;  // true: "true"; false or none: no attribute (h())
    if (q.type == "text") {
      const max = q.max_length;
      const count = h("p", {id: "fw-count", class: "fw-count"});
      const area = h("textarea", {id: "fw-answer", maxlength: max, rows: 4, "aria-describedby": "fw-count fw-error",
        "aria-required": required});
      area.value = answers[q.key] || "";
      // The counter speaks up (aria-live) only once few characters are left.
      (area.oninput = () => {
        const left = max - area.value.length;
        count.textContent = str(STRING_CHARS_LEFT, {count: left});
        if (left < 50) count.setAttribute("aria-live", "polite");
      })();
      return [h("div", null, [h("label", {for: "fw-answer", class: "fw-legend", text}), area, count]),
        area, () => area.value.trim() ? area.value : null];
    }
    // Radios with one name: the browser moves between them with the arrow keys.
    // The server sends the options of every such question, also NPS's 0 to 10 and yes/no, as values
    // to send and texts in the visitor's language, and a 0-10 question's anchors as its scale.
    const options = q.options, scale = q.scale;
    const inputs = options.map((o, i) => h("input", {type: "radio", name: "answer", value: i, checked: answers[q.key] === o.value}));
    const checked = () => inputs.find((i) => i.checked);
    const hint = scale && h("div", {class: "fw-hint", id: "fw-hint"}, [h("span", {text: scale.low}), h("span", {text: scale.high})]);
    return [h("fieldset", {role: "radiogroup", "aria-describedby": (hint ? "fw-hint " : "") + "fw-error", "aria-required": required}, [
      h("legend", {text}),
      h("div", {class: "fw-options fw-" + q.type}, options.map((o, i) => h("label", {class: "fw-option"}, [inputs[i], h("span", {text: o.text})]))),
      hint]),
    checked() || inputs[0], () => checked() ? options[checked().value].value : null];
  }

  function thanks(text) {
    const close = makeButton("fw-primary", str(STRING_CLOSE), () => closeDialog());
    body.textContent = "";
    body.append(h("div", {class: "fw-thanks", role: "status"}, [h("p", {text}),
      N.onLine === false && h("p", {class: "fw-note", text: str(STRING_OFFLINE)}), close]));
    close.focus();
  }

  // --- the complaint form: its code, styles and strings come when first asked for (the @complaint part)
  // The form's script hands over the form, its styles and its strings in every language (raw: the form).
  const openComplaint = () => part("complaint", "__FW_COMPLAINT__").then(([form, css, strings]) => {
    if (css) adopt(css);
    form(h, openDialog, enqueue, thanks, config, customer || {}, strings);
  }, () => log(LOG_COMPLAINT));

  /*@complaint*/
  // The complaint form, offered when the site config enables it (config.complaints.enabled). Shops
  // get this part as its own script, with its strings in every language; raw, it registers here.
  ready("complaint", function (h, openDialog, enqueue, thanks, config, customer, strings) {
    // Raw, there are no strings (no server fills them in): the form shows their names.
    const t = (name) => ((strings || {})[config.locale] || {})[name] || name;
    const c = config.complaints, form = openDialog(null, t("complaint_title")), errors = {};
    const control = (tag, id, props, children) => h(tag, Object.assign({id: "fw-c-" + id, "aria-describedby": "fw-c-" + id + "-error",
      "aria-required": "true"}, props), children);
    const error = (el) => errors[el.id] = h("p", {id: el.id + "-error", class: "fw-error"});
    const field = (label, el) => h("div", {class: "fw-field"}, [h("label", {for: el.id, class: "fw-legend", text: t(label)}), el, error(el)]);
    // No category is chosen for the customer: the first option asks for one.
    const category = control("select", "category", {name: "category"},
      [{value: "", text: t("complaint_choose")}].concat(c.categories).map((o) => h("option", {value: o.value, text: o.text})));
    const description = control("textarea", "description", {name: "description", rows: 3, maxlength: 2000});
    const wish = control("textarea", "wish", {name: "desired_resolution", rows: 2, maxlength: 2000});
    const name = control("input", "name", {name: "name", autocomplete: "name", maxlength: 200});
    const email = control("input", "email", {type: "email", name: "email", autocomplete: "email", maxlength: 254, value: customer.email});
    const order = control("input", "order", {name: "order_number", maxlength: 64, "aria-required": null});
    const consent = control("input", "consent", {type: "checkbox", "aria-required": null});
    // Only a web address is linked: never a javascript: URL from the settings.
    const policy = /^https?:\/\//.test(c.privacy_policy_url) && h("a", {href: c.privacy_policy_url, target: "_blank", rel: "noopener", text: t("privacy_policy")});
    form.append(h("form", {novalidate: "", onsubmit: submit, oninput: recheck}, [
      field("complaint_category", category), field("complaint_description", description), field("complaint_resolution", wish),
      field("complaint_name", name), field("complaint_email", email), field("complaint_order", order),
      h("div", {class: "fw-field fw-consent"}, [consent, h("label", {for: consent.id, text: t("complaint_consent")}), policy, error(consent)]),
      h("div", {class: "fw-actions"}, [h("button", {type: "submit", class: "fw-primary", text: t("complaint_send")})])]));
    category.focus();
    // What is wrong with each field, in the form's order: [field, the name of its message or false].
    const blank = (el) => !el.value.trim() && "required";
    const problems = () => [[category, blank(category) && "complaint_category_required"], [description, blank(description)],
      [wish, blank(wish)], [name, blank(name)], [email, !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value.trim()) && "invalid_email"],
      [consent, !consent.checked && "consent_required"]];
    // A field's message under it (its aria-describedby names it), and aria-invalid while there is one.
    function show([el, problem]) {
      errors[el.id].textContent = problem ? t(problem) : "";
      if (problem) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
    }
    // A message goes as soon as its field is put right (a field without one gets none while being filled in).
    function recheck(e) {
      const found = problems().find(([el, problem]) => el == e.target && !problem);
      if (found) show(found);
    }
    function submit(e) {
      e.preventDefault();
      const found = problems();
      found.forEach(show);
      const wrong = found.find((p) => p[1]);
      if (wrong) return wrong[0].focus();
      enqueue("/complaints", {category: category.value, description: description.value, desired_resolution: wish.value,
        name: name.value.trim(), email: email.value.trim(), order_number: order.value.trim() || null, consent: true,
        locale: config.locale, customer: customer.id || customer.loyalty_tier ? {id: customer.id, loyalty_tier: customer.loyalty_tier} : undefined});
      thanks(t("complaint_thanks"));
    }
  });
  /*@complaint-end*/

  // The Feedback button and FeedbackWidget.open(): the survey for this page (URL rule), else the complaint form.
  function open(slug) {
    const surveys = config.surveys;
    const survey = slug ? surveys.find((s) => s.slug == slug)
      : surveys.find((s) => !s.triggers.url || urlMatches(s.triggers.url)) || surveys[0];
    if (survey) return openSurvey(survey, "open");
    if (!slug && config.complaints.enabled) return openComplaint();
    log(LOG_OPEN, slug);
  }

  // What the page asks for goes to the server, which answers with what to use: the language (the
  // first it has of data-lang, setLanguage(), the browser's languages; else the site's default) and
  // the look (data-color and data-position if valid, else the site's, with the text colour on it).
  function fetchConfig() {
    const asked = [["locale", [attr("lang"), lang].concat(N.languages).filter(Boolean).join()],
      ["color", attr("color")], ["position", attr("position")]];
    return fetch(API + "/config?" + new URLSearchParams(asked.filter((pair) => pair[1])), {credentials: "omit"})
      .then((r) => r.ok ? r.json() : Promise.reject(r.status))
      .catch((e) => log(LOG_CONFIG, e));
  }

  // The Feedback button, in a shadow root whose host is a custom element: the shop's rules on div or
  // button never match it.
  function mount() {
    const widget = config.widget;
    root = (host = D.createElement("feedback-widget")).attachShadow({mode: "open"});
    adopt(CSS);
    root.append(frame = h("div", {class: "fw fw-" + widget.position, lang: config.locale}));
    // Set through the CSSOM, inside the shadow root: no style attribute or element in the shop's page.
    frame.style.setProperty("--fw-color", widget.color);
    frame.style.setProperty("--fw-on-color", widget.on_color);
    if (widget.show_button) {
      frame.append(button = makeButton("fw-button", str(STRING_BUTTON), () => api.open()));
      button.setAttribute("aria-haspopup", "dialog");
      expanded(false);
    }
    D.body.append(host);
  }

  // --- the public API
  const queued = (W.FeedbackWidget && W.FeedbackWidget.q) || [];
  const api = W.FeedbackWidget = {
    version: 3,
    async open(slug) {
      if (!config) pendingOpen = slug || "";
      return config && open(slug);
    },
    close: () => closeDialog(),
    identify(who) {
      const c = who || {}, clean = {id: c.id, email: c.email, loyalty_tier: c.loyaltyTier};
      for (const k in clean) if (clean[k] == null || clean[k] === "") delete clean[k]; else clean[k] += "";
      customer = clean;
    },
    track(event) {
      log(LOG_TRACK, event);
      tracked.push(event += "");
      fireEvent(event);
    },
    async setLanguage(code) {
      if (attr("lang")) log(LOG_LANG);
      lang = code;
      const loaded = config && await fetchConfig();
      if (!loaded) return;
      config = loaded;
      if (button) button.textContent = str(STRING_BUTTON);
      frame.setAttribute("lang", config.locale);
    },
    on(name, callback) { (handlers[name] = handlers[name] || []).push(callback); return api; },
  };
  queued.forEach((call) => typeof api[call[0]] == "function" && api[call[0]](...call.slice(1)));
  if (!SITE) return log(LOG_SITE);
  // A submission left from an earlier page is sent now, even if no config comes.
  retryNow();
  W.addEventListener("online", retryNow);
  W.addEventListener("pagehide", flush);
  fetchConfig().then((loaded) => {
    if (!loaded) return;
    config = loaded;
    mount();
    arm();
    if (pendingOpen != null) open(pendingOpen);
  });
})();
