// @vitest-environment jsdom
// Unit tests of the widget in jsdom, with fetch and storage under our control: every test runs on the
// hand-written static/widget.js and again on the build that shops get (static/widget.min.js, with the
// complaint form's static/widget-complaint.min.js and debug mode's static/widget-debug.min.js fetched
// on demand; `npm run build` makes them). They use only what a shop's page can use: the public API,
// the shadow root, localStorage, the requests and the console.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const read = (file) => readFileSync(resolve(__dirname, "../..", file), "utf8");
let code;  // the widget's script under test
// The built widget fetches the complaint form's and debug mode's scripts by appending a <script> (jsdom
// loads none): run them.
// The server fills in the form's strings in every language (feedbackwidget/widget/assets.py); so does this.
const formStrings = {en: {invalid_email: "Bad e-mail", consent_required: "Accept the policy", complaint_thanks: "Complaint recorded",
  complaint_choose: "Choose one", complaint_category_required: "Choose a category", required: "Fill this in"}};
const complaintScript = read("static/widget-complaint.min.js").replace('"__FW_STRINGS__"', JSON.stringify(formStrings));
const debugScript = read("static/widget-debug.min.js");
new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach((node) => {
  if (node.src && node.src.endsWith("__FW_COMPLAINT__")) setTimeout(() => new Function(complaintScript)());
  if (node.src && node.src.endsWith("__FW_DEBUG__")) new Function(debugScript)();
}))).observe(document.head, {childList: true});
// The site config's strings: a list in the order of CONFIG_STRINGS (feedbackwidget/widget/strings.py).
const strings = [
  "Feedback", "Your feedback", "Close", "Send", "Next", "Back", "Question {current} of {total}", "Thank you!",
  "Please answer this question.", "{count} characters left", "You are offline.", "Your answer could not be sent.",
  "Something went wrong? Tell us",
];
const nps = {
  slug: "nps", template: "nps", triggers: {manual: true}, questions: [
    {key: "score", type: "nps", required: true, text: "How likely?",
      options: [...Array(11).keys()].map((n) => ({value: n, text: String(n)})),
      scale: {low: "0 = Not at all likely", high: "10 = Extremely likely"}},
    {key: "reason", type: "text", required: false, max_length: 20, text: "Why?", follow_up_of: "score",
      text_by_band: ["Sorry! Why?", "What would make it a 10?", "Thanks! Why?"]},  // detractor, passive, promoter
  ],
};
const stock = {
  slug: "stock", template: "stock", triggers: {manual: true}, questions: [
    {key: "in_stock", type: "yes_no", required: true, text: "In stock?", options: [{value: true, text: "Yes"}, {value: false, text: "No"}]},
    {key: "missing", type: "text", max_length: 2000, text: "What was missing?", show_if: {question: "in_stock", in: [false]}},
  ],
};
const baseConfig = () => ({
  locale: "en", site: {key: "site_t", default_locale: "en"}, strings, min_fill_ms: 0,
  widget: {position: "bottom-left", color: "#1f5fbf", on_color: "#fff", show_button: true},
  complaints: {enabled: false}, surveys: [structuredClone(nps), structuredClone(stock)],
});

// Triggers as the server hands them over (public_triggers in feedbackwidget/widget/triggers.py): no
// rule that is false, cooldown_days always set (URL rules are written as the server writes them).
const served = (config) => Object.assign(config, {surveys: config.surveys.map((survey) => Object.assign(survey, {
  triggers: Object.fromEntries(Object.entries({cooldown_days: 30, ...survey.triggers}).filter(([, value]) => value !== false)),
}))});

let posts;
// A reply of the API: JSON errors are {"code": ..., "message": ...}.
function respond(status, headers = {}, body = status < 400 ? {id: 1} : {code: "refused", message: "Refused."}) {
  return Promise.resolve(new Response(JSON.stringify(body), {status, headers: {"Content-Type": "application/json", ...headers}}));
}
function boot({attrs = {}, config = baseConfig(), post = () => respond(201), queued} = {}) {
  document.head.textContent = "";
  document.body.textContent = "";
  delete window.FeedbackWidget;
  if (queued) window.FeedbackWidget = {q: queued};  // calls made before the script loaded
  const script = document.createElement("script");
  script.setAttribute("src", "https://fw.test/feedback/widget.js");
  script.setAttribute("data-site", "site_t");
  Object.entries(attrs).forEach(([k, v]) => script.setAttribute("data-" + k, v));
  document.head.appendChild(script);
  posts = [];
  globalThis.fetch = vi.fn((url, init) => {
    if (!init || !init.method) return Promise.resolve({ok: true, status: 200, json: () => Promise.resolve(served(config))});
    posts.push({url, init, body: JSON.parse(init.body)});
    return post(url, init);
  });
  new Function(code)();
  return window.FeedbackWidget;
}
const shadow = () => document.querySelector("feedback-widget")?.shadowRoot;
const $ = (selector) => shadow().querySelector(selector);
const $$ = (selector) => [...shadow().querySelectorAll(selector)];
const ready = () => vi.waitFor(() => expect(shadow()).toBeTruthy());
const submit = () => $("form").dispatchEvent(new Event("submit", {cancelable: true}));
const choose = (index) => { $$("input[type=radio]")[index].checked = true; };
const stored = () => JSON.parse(localStorage.getItem("feedbackwidget:site_t") || "{}");
const queue = () => stored().queue || [];
const logged = (info) => info.mock.calls.map((c) => c.slice(1).join(" ")).join("\n");  // console.info's, sans prefix
// A visitor answers "In stock?" with yes: one submission.
async function answerStock(api) {
  await api.open("stock");
  choose(0);
  submit();
}
const setLanguages = (list) => Object.defineProperty(navigator, "languages", {get: () => list, configurable: true});

beforeEach(() => { localStorage.clear(); setLanguages(["en-US"]); });
afterEach(() => { vi.useRealTimers(); vi.restoreAllMocks(); });

describe.each([["the source", "static/widget.js"], ["the build", "static/widget.min.js"]])("%s", (_, file) => {
  beforeAll(() => { code = read(file); });

  // Which language and look win is the server's choice (tests/test_widget_config.py, tests/test_i18n.py):
  // the widget asks for what its page and browser prefer.
  const CONFIG_URL = "https://fw.test/feedback/api/v1/sites/site_t/config";
  describe("language", () => {
    it("asks for data-lang first, then setLanguage's, then the browser's languages", async () => {
      setLanguages(["de-DE", "zh-CN", "hu"]);
      boot();
      expect(fetch.mock.calls[0][0]).toBe(CONFIG_URL + "?locale=de-DE%2Czh-CN%2Chu");  // a comma-separated list
      const api = boot({attrs: {lang: "hu-HU"}});
      expect(fetch.mock.calls[0][0]).toBe(CONFIG_URL + "?locale=hu-HU%2Cde-DE%2Czh-CN%2Chu");
      await ready();
      await api.setLanguage("zh");
      expect(fetch.mock.calls.at(-1)[0]).toBe(CONFIG_URL + "?locale=hu-HU%2Czh%2Cde-DE%2Czh-CN%2Chu");
    });
    it("asks for the site's default when the browser names no language", () => {
      setLanguages([]);
      boot();
      expect(fetch.mock.calls[0][0]).toBe(CONFIG_URL + "?");
    });
  });

  describe("URL rules", () => {
    afterEach(() => history.replaceState(null, "", "/"));
    // Whether a survey with this URL rule (and no moment) shows by itself on /checkout/done?x=1#top.
    async function showsOnCheckout(url) {
      history.replaceState(null, "", "/checkout/done?x=1#top");
      const config = baseConfig();
      config.surveys = [Object.assign(config.surveys[0], {triggers: {url}})];
      boot({config});
      await ready();
      await new Promise((resolve) => setTimeout(resolve));
      return $("[role=dialog]") != null;
    }
    // The rules as the server writes them (url_pattern in feedbackwidget/widget/triggers.py, which
    // tests/test_widget_config.py checks): exact, prefix, glob, for the path or the whole URL.
    it("match the server's regular expressions against the URL, the path and query, or the path", async () => {
      expect(await showsOnCheckout(["^(?!https?:)/checkout/done$"])).toBe(true);
      expect(await showsOnCheckout(["^(?!https?:)/checkout$"])).toBe(false);
      expect(await showsOnCheckout(["^(?!https?:)/checkout"])).toBe(true);
      expect(await showsOnCheckout(["^(?!https?:)/checkout/.*$"])).toBe(true);
      expect(await showsOnCheckout(["^(?!https?:)/cart/.*$"])).toBe(false);
      expect(await showsOnCheckout(["^(?!https?:)/checkout/done.x=.$"])).toBe(true);
      expect(await showsOnCheckout(["^(?!https?:).*done$"])).toBe(true);
      expect(await showsOnCheckout(["^(?!https?:).*localhost.*$"])).toBe(false);
      expect(await showsOnCheckout(["^" + location.origin.replace(/\./g, "\\.") + "/.*/done.x=.$"])).toBe(true);
      expect(await showsOnCheckout(["^" + location.origin.replace(/\./g, "\\.") + "/.*/done.x=12$"])).toBe(false);
      expect(await showsOnCheckout(["^(?!https?:)/$", "^(?!https?:)/check"])).toBe(true);
    });
  });

  describe("the button and the dialog", () => {
    it("shows a Feedback button in the configured corner, rendered in a shadow root", async () => {
      boot();
      await ready();
      expect($(".fw").className).toBe("fw fw-bottom-left");
      expect($(".fw-button").textContent).toBe("Feedback");
      expect(document.body.querySelectorAll("style, [style]").length).toBe(0);
    });
    it("asks for data-position and data-color, shows the look the server answers, and the button can be hidden", async () => {
      const asked = baseConfig();
      asked.widget = {position: "right", color: "#ffeb3b", on_color: "#111", show_button: true};
      boot({attrs: {position: "right", color: "#ffeb3b"}, config: asked});
      expect(fetch.mock.calls[0][0]).toBe(CONFIG_URL + "?locale=en-US&color=%23ffeb3b&position=right");
      await ready();
      expect($(".fw").className).toBe("fw fw-right");
      expect($(".fw").style.getPropertyValue("--fw-color")).toBe("#ffeb3b");
      expect($(".fw").style.getPropertyValue("--fw-on-color")).toBe("#111");
      const config = baseConfig();
      config.widget.show_button = false;
      boot({config});
      await ready();
      expect($(".fw-button")).toBe(null);
    });
    it("answers NPS with a band-specific follow-up and sends it once with an Idempotency-Key", async () => {
      const api = boot();
      const submitted = vi.fn();
      api.on("submitted", submitted);
      api.identify({id: "C1", email: "ann@example.com", loyaltyTier: "gold"});
      await ready();
      await api.open("nps");
      const dialog = $("[role=dialog]");
      expect(dialog.getAttribute("aria-modal")).toBe("true");
      expect($$("input[type=radio]").length).toBe(11);
      expect($(".fw-step").textContent).toBe("Question 1 of 2");
      choose(3);
      submit();
      expect($("label.fw-legend").textContent).toBe("Sorry! Why?");
      const area = $("textarea");
      area.value = "Too slow";
      area.dispatchEvent(new Event("input"));
      expect($(".fw-count").textContent).toBe("12 characters left");
      submit();
      expect($(".fw-thanks").textContent).toContain("Thank you!");
      await vi.waitFor(() => expect(posts.length).toBe(1));
      const [{url, init, body}] = posts;
      expect(url).toBe("https://fw.test/feedback/api/v1/sites/site_t/responses");
      expect(init.headers["Idempotency-Key"]).toMatch(/\S{8,}/);
      expect(init.keepalive).toBe(true);
      expect(body).toMatchObject({survey: "nps", answers: {score: 3, reason: "Too slow"}, locale: "en",
        customer: {id: "C1", email: "ann@example.com", loyalty_tier: "gold"}});
      expect(submitted).toHaveBeenCalledWith({survey: "nps", answers: {score: 3, reason: "Too slow"}});
      await vi.waitFor(() => expect(queue()).toEqual([]));
    });
    it("shows the anchors each 0-10 question gives its scale, read with the scale", async () => {
      const config = baseConfig();
      config.surveys[0].questions[0] = Object.assign(config.surveys[0].questions[0], {text: "How satisfied?",
        scale: {low: "0 = Not at all satisfied", high: "10 = Completely satisfied"}});
      const api = boot({config});
      await ready();
      await api.open("nps");
      expect($$(".fw-hint span").map((span) => span.textContent)).toEqual(["0 = Not at all satisfied", "10 = Completely satisfied"]);
      expect($("fieldset").getAttribute("aria-describedby")).toBe("fw-hint fw-error");
      await api.open("stock");
      expect($(".fw-hint")).toBe(null);
      expect($("fieldset").getAttribute("aria-describedby")).toBe("fw-error");
    });
    it("refuses to go on without a required answer, and takes the message back once it is answered", async () => {
      const api = boot();
      await ready();
      await api.open("nps");
      submit();
      expect($(".fw-error").textContent).toBe("Please answer this question.");
      expect($(".fw-error").id).toBe("fw-error");
      expect($("fieldset").getAttribute("aria-describedby")).toContain("fw-error");
      expect($$("input[type=radio]").length).toBe(11);
      choose(7);
      $$("input[type=radio]")[7].dispatchEvent(new Event("input", {bubbles: true}));
      expect($(".fw-error").textContent).toBe("");
      expect($(".fw-step").textContent).toBe("Question 1 of 2");  // still this question: nothing sent yet
    });
    it("takes a required text question's message back once there is text, not for blanks", async () => {
      const config = baseConfig();
      config.surveys[1].questions[1].required = true;
      const api = boot({config});
      await ready();
      await api.open("stock");
      choose(1);
      submit();
      const area = $("textarea");
      expect(area.getAttribute("aria-required")).toBe("true");
      submit();
      expect($(".fw-error").textContent).toBe("Please answer this question.");
      area.value = "   ";
      area.dispatchEvent(new Event("input", {bubbles: true}));
      expect($(".fw-error").textContent).toBe("Please answer this question.");
      area.value = "Milk";
      area.dispatchEvent(new Event("input", {bubbles: true}));
      expect($(".fw-error").textContent).toBe("");
    });
    it("asks 'what was missing?' only after a no", async () => {
      const api = boot();
      await ready();
      await api.open("stock");
      choose(0);
      submit();
      expect($(".fw-thanks")).not.toBe(null);
      await api.open("stock");
      choose(1);
      submit();
      expect($("label.fw-legend").textContent).toBe("What was missing?");
      expect($(".fw-step").textContent).toBe("Question 2 of 2");
      await vi.waitFor(() => expect(posts.length).toBe(1));
      expect(posts[0].body.answers).toEqual({in_stock: true});
    });
    // The progress counts the questions that may still be shown: a conditional one counts until the
    // answer it waits for is given, so the total never grows as the visitor goes on.
    const progress = () => [$(".fw-step").textContent, $("progress").value, $("progress").max, $(".fw-primary").textContent];
    it("says 'Question 1 of 2' where a conditional question may follow, never '1 of 1' first", async () => {
      const api = boot();
      await ready();
      await api.open("stock");
      expect(progress()).toEqual(["Question 1 of 2", 1, 2, "Next"]);
      choose(0);
      submit();  // yes: nothing is missing, no second question
      expect($(".fw-thanks")).not.toBe(null);
      await api.open("stock");
      expect(progress()).toEqual(["Question 1 of 2", 1, 2, "Next"]);
      choose(1);
      submit();
      expect(progress()).toEqual(["Question 2 of 2", 2, 2, "Send"]);
      $(".fw-secondary").click();  // Back: the answer given is shown again, and so is the count
      expect(progress()).toEqual(["Question 1 of 2", 1, 2, "Next"]);
      expect($$("input[type=radio]")[1].checked).toBe(true);
    });
    it("never lets the total grow, drops the questions ruled out and sends no answer to a question not shown", async () => {
      const yesNo = (key, extra) => Object.assign({key, type: "yes_no", required: true, text: key + "?",
        options: [{value: true, text: "Yes"}, {value: false, text: "No"}]}, extra);
      const text = (key, extra) => Object.assign({key, type: "text", max_length: 200, text: key + "?"}, extra);
      const config = baseConfig();
      config.surveys = [{slug: "flow", template: "custom", triggers: {manual: true}, questions: [
        yesNo("a"), text("b", {show_if: {question: "a", in: [false]}}), yesNo("c"),
        text("d", {show_if: {question: "c", in: [true]}}), text("e", {show_if: {question: "b", in: ["x"]}})]}];
      const api = boot({config});
      await ready();
      // Walks the survey with these answers (a radio's index, or a text), noting the progress at each step.
      async function walk(answers) {
        await api.open("flow");
        const seen = [];
        for (const answer of answers) {
          seen.push([$(".fw-legend, legend").textContent, $(".fw-step").textContent]);
          if (typeof answer == "number") choose(answer); else $("textarea").value = answer;
          submit();
        }
        expect($(".fw-thanks")).not.toBe(null);
        return seen;
      }
      // e waits for b's answer; once b is passed without "x", e no longer counts.
      expect(await walk([0, 0, "d"])).toEqual([["a?", "Question 1 of 5"], ["c?", "Question 2 of 3"], ["d?", "Question 3 of 3"]]);
      expect(await walk([1, "", 1])).toEqual([["a?", "Question 1 of 5"], ["b?", "Question 2 of 5"], ["c?", "Question 3 of 4"]]);
      expect(await walk([1, "x", 0, "", "e"])).toEqual([["a?", "Question 1 of 5"], ["b?", "Question 2 of 5"],
        ["c?", "Question 3 of 5"], ["d?", "Question 4 of 5"], ["e?", "Question 5 of 5"]]);
      // Back to a, then another answer: b's text, given before, is not sent.
      await api.open("flow");
      choose(1);
      submit();
      $("textarea").value = "not sent";
      submit();
      $(".fw-secondary").click();
      expect(progress()).toEqual(["Question 2 of 5", 2, 5, "Next"]);
      $(".fw-secondary").click();
      choose(0);
      submit();
      expect(progress()).toEqual(["Question 2 of 3", 2, 3, "Next"]);
      choose(1);
      submit();
      await vi.waitFor(() => expect(posts.length).toBe(4));
      expect(posts.map((p) => p.body.answers)).toEqual([{a: true, c: true, d: "d"}, {a: false, c: false},
        {a: false, b: "x", c: true, e: "e"}, {a: true, c: false}]);
    });
    it("renders server texts as text, never as HTML", async () => {
      const config = baseConfig();
      config.surveys[0].questions[0].text = "<img src=x onerror=alert(1)>";
      const api = boot({config});
      await ready();
      await api.open("nps");
      expect($("legend").textContent).toBe("<img src=x onerror=alert(1)>");
      expect($("img")).toBe(null);
    });
    it("closes on Escape, returns focus and remembers the dismissal", async () => {
      const api = boot();
      const dismissed = vi.fn();
      api.on("dismissed", dismissed);
      await ready();
      $(".fw-button").focus();
      $(".fw-button").click();
      await vi.waitFor(() => expect($(".fw-button").getAttribute("aria-expanded")).toBe("true"));
      $("[role=dialog]").dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
      expect($("[role=dialog]")).toBe(null);
      expect(shadow().activeElement).toBe($(".fw-button"));
      expect(dismissed).toHaveBeenCalledWith({survey: "nps"});
      expect(stored().seen.nps).toBeLessThanOrEqual(Date.now());  // the cooldown (see "triggers") starts
    });
    it("keeps Tab inside the dialog", async () => {
      const api = boot();
      await ready();
      await api.open("nps");
      const close = $(".fw-close"), send = $(".fw-primary");
      send.focus();
      $("[role=dialog]").dispatchEvent(new KeyboardEvent("keydown", {key: "Tab", bubbles: true}));
      expect(shadow().activeElement).toBe(close);
      $("[role=dialog]").dispatchEvent(new KeyboardEvent("keydown", {key: "Tab", shiftKey: true, bubbles: true}));
      expect(shadow().activeElement).toBe(send);
    });
  });

  describe("nothing lost", () => {
    it("keeps a failed submission across page loads and sends it with the same key", async () => {
      let api = boot({post: () => Promise.reject(new TypeError("Failed to fetch"))});
      await ready();
      await api.open("nps");
      choose(10);
      submit();
      submit();
      await vi.waitFor(() => expect(posts.length).toBe(1));
      await vi.waitFor(() => expect(queue()[0]?.tries).toBe(1));
      const key = queue()[0].key;

      boot();  // the next page load
      await vi.waitFor(() => expect(queue()).toEqual([]));
      expect(posts.map((p) => p.init.headers["Idempotency-Key"])).toEqual([key]);
      expect(posts[0].body.answers).toEqual({score: 10});
    });
    it("holds an answer given quicker than min_fill_ms, then sends it with the spam fields", async () => {
      const config = baseConfig();
      config.min_fill_ms = 400;
      const api = boot({config});
      await ready();
      await api.open("nps");
      const shown = Date.now();
      choose(10);
      submit();
      submit();
      expect(posts.length).toBe(0);  // too quick: it waits in the queue
      await vi.waitFor(() => expect(posts.length).toBe(1), {timeout: 2000});
      expect(Date.now() - shown).toBeGreaterThanOrEqual(400);
      expect(posts[0].body.hp).toBe("");
      expect(posts[0].body.elapsed_ms).toBeGreaterThanOrEqual(400);
      expect($$("[hidden] input[name=website]").length).toBe(1);  // the honeypot people never see
    });
    it("waits as long as Retry-After says on 429 and 503", async () => {
      const api = boot({post: () => respond(503, {"Retry-After": "120"})});
      await ready();
      const before = Date.now();
      await answerStock(api);
      await vi.waitFor(() => expect(queue()[0]?.tries).toBe(1));
      expect(queue()[0].due - before).toBeGreaterThanOrEqual(120e3);
      expect(queue()[0].due - Date.now()).toBeLessThanOrEqual(120e3);
    });
    it.each([
      [403, "origin_not_allowed", "This page's origin is not allowed for the site: add it to the site's allowed origins."],
      [422, "invalid_answers", "Some answers are not valid: fix the answers listed in 'fields'."],
    ])("tells the visitor a submission refused for good (HTTP %i) was not sent, the console why, and drops it",
      async (status, code, message) => {
        const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
        const api = boot({post: () => respond(status, {}, {code, message})});
        await ready();
        await answerStock(api);
        await vi.waitFor(() => expect($(".fw-thanks").textContent).toContain("Your answer could not be sent."));
        expect($(".fw-thanks").textContent).not.toContain("Thank you!");
        await vi.waitFor(() => expect(warn).toHaveBeenCalled());
        expect(warn.mock.calls[0].join(" ")).toContain(`${status} {"code":"${code}","message":${JSON.stringify(message)}}`);
        expect(queue()).toEqual([]);
        expect(posts.length).toBe(1);
      });
    it("keeps a submission the server could not store now (503), and thanks the visitor", async () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const api = boot({post: () => respond(503, {"Retry-After": "5"}, {code: "unavailable", message: "Later."})});
      await ready();
      await answerStock(api);
      await vi.waitFor(() => expect(queue()[0]?.tries).toBe(1));
      expect($(".fw-thanks").textContent).toContain("Thank you!");
      expect(warn).not.toHaveBeenCalled();
    });
    it("drops a refused submission left from an earlier page without a dialog to tell", async () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      let api = boot({post: () => Promise.reject(new TypeError("Failed to fetch"))});
      await ready();
      await answerStock(api);
      await vi.waitFor(() => expect(queue()[0]?.tries).toBe(1));

      api = boot({post: () => respond(403, {}, {code: "origin_not_allowed", message: "Not allowed."})});
      await vi.waitFor(() => expect(queue()).toEqual([]));
      await vi.waitFor(() => expect(warn).toHaveBeenCalled());
      await ready();
      expect($("[role=dialog]")).toBe(null);
    });
    it("sends what waited offline when the browser is back online", async () => {
      let online = false;
      Object.defineProperty(navigator, "onLine", {get: () => online, configurable: true});
      const api = boot();
      await ready();
      await answerStock(api);
      expect($(".fw-note").textContent).toBe("You are offline.");
      expect(posts.length).toBe(0);
      expect(queue().length).toBe(1);
      online = true;
      window.dispatchEvent(new Event("online"));
      await vi.waitFor(() => expect(queue()).toEqual([]));
      expect(posts.length).toBe(1);
    });
  });

  describe("triggers", () => {
    it("shows a survey after its delay and says why in debug mode", async () => {
      vi.useFakeTimers({toFake: ["setTimeout", "Date"]});
      const info = vi.spyOn(console, "info").mockImplementation(() => {});
      const config = baseConfig();
      config.surveys[0].triggers = {delay_seconds: 5};
      const api = boot({config, attrs: {debug: ""}});
      const shown = vi.fn();
      api.on("shown", shown);
      await vi.waitFor(() => expect(shadow()).toBeTruthy());
      expect($("[role=dialog]")).toBe(null);
      vi.advanceTimersByTime(5000);
      await vi.waitFor(() => expect($("[role=dialog]")).not.toBe(null));
      expect(shown).toHaveBeenCalledWith({survey: "nps", trigger: "delay"});
      expect(logged(info)).toMatch(/survey nps waits for \{"delay_seconds":5\}\n(.*\n)*survey nps shown: trigger delay$/);
    });
    it("logs why a survey is not shown: URL rule, sampling, manual", async () => {
      const info = vi.spyOn(console, "info").mockImplementation(() => {});
      const config = baseConfig();
      config.surveys[0].triggers = {url: ["^(?!https?:)/checkout$"]};
      config.surveys[1].triggers = {sample_percent: 0};
      config.surveys.push({slug: "manual", questions: [], triggers: {manual: true}});
      boot({config, attrs: {debug: "true"}});
      await ready();
      await vi.waitFor(() => expect(info.mock.calls.length).toBeGreaterThan(2));
      expect(logged(info)).toMatch(/survey nps not shown: URL rule .* does not match/);
      expect(logged(info)).toMatch(/survey stock not shown: sampling: outside the 0% sample/);
      expect(logged(info)).toMatch(/survey manual is manual/);
      expect($("[role=dialog]")).toBe(null);
    });
    it("logs what the page asked for that cannot be done, and warns of a refused submission", async () => {
      const info = vi.spyOn(console, "info").mockImplementation(() => {});
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const config = baseConfig();
      config.surveys = [config.surveys[1]];
      const api = boot({config, attrs: {debug: "", lang: "hu"}, post: () => respond(400)});
      await ready();
      api.track("purchase");
      await api.open("nope");
      await api.setLanguage("en");
      await api.open("stock");
      choose(0);
      submit();
      await vi.waitFor(() => expect(warn.mock.calls.map((c) => c.join(" ")).join("\n")).toMatch(/ 400 \{"code":"refused"/));
      expect(logged(info)).toMatch(/^track purchase\nopen\(nope\): no such survey\ndata-lang comes before setLanguage\(\)$/m);
      boot({config: {...baseConfig(), surveys: []}, attrs: {debug: ""}});
      await vi.waitFor(() => expect(logged(info)).toMatch(/no active survey for this site/));
    });
    it("logs that a dismissed survey waits for its cooldown, and shows it once the cooldown is over", async () => {
      const info = vi.spyOn(console, "info").mockImplementation(() => {});
      const api = boot();
      await ready();
      await api.open("nps");
      api.close();
      const config = baseConfig();
      config.surveys = [Object.assign(config.surveys[0], {triggers: {}})];  // shows on page load, if it may
      boot({config, attrs: {debug: ""}});
      await vi.waitFor(() => expect(logged(info)).toMatch(
        /survey nps not shown: cooldown \(answered or dismissed\) till \d{4}-\d\d-\d\dT/));
      expect($("[role=dialog]")).toBe(null);
      config.surveys[0].triggers = {cooldown_days: 0};
      boot({config, attrs: {debug: ""}});
      await vi.waitFor(() => expect($("[role=dialog]")).not.toBe(null));
      await vi.waitFor(() => expect(logged(info)).toMatch(/survey nps shown: trigger page load/));
    });
    it("shows a survey on a tracked event, also one tracked before the config arrived", async () => {
      const config = baseConfig();
      config.surveys[0].triggers = {event: ["purchase"]};
      const api = boot({config});
      api.track("purchase");
      await ready();
      await vi.waitFor(() => expect($("[role=dialog]")).not.toBe(null));
    });
    it("is silent without data-debug, and fetches no debug script", async () => {
      const info = vi.spyOn(console, "info").mockImplementation(() => {});
      const config = baseConfig();
      config.surveys[1].triggers = {sample_percent: 0};
      const api = boot({config});
      await ready();
      api.track("purchase");
      await api.open("nope");
      expect(info).not.toHaveBeenCalled();
      expect(document.querySelectorAll("script").length).toBe(1);  // the widget's own
    });
  });

  describe("more triggers and the API", () => {
    const only = (triggers) => {
      const config = baseConfig();
      config.surveys[0].triggers = triggers;
      config.surveys = [config.surveys[0]];
      return config;
    };
    it("shows a survey once the visitor scrolled far enough", async () => {
      boot({config: only({scroll_percent: 50})});
      await ready();
      await ready();
      expect($("[role=dialog]")).toBe(null);
      window.dispatchEvent(new Event("scroll"));
      await vi.waitFor(() => expect($("[role=dialog]")).not.toBe(null));
    });
    it("shows a survey on exit intent with a mouse, not without one", async () => {
      window.matchMedia = () => ({matches: true});
      boot({config: only({exit_intent: true})});
      await ready();
      document.dispatchEvent(new MouseEvent("mouseout", {clientY: 200, relatedTarget: null}));
      expect($("[role=dialog]")).toBe(null);
      document.dispatchEvent(new MouseEvent("mouseout", {clientY: 0, relatedTarget: null}));
      await vi.waitFor(() => expect($("[role=dialog]")).not.toBe(null));
      delete window.matchMedia;
    });
    it("does not ask again within the cooldown after an answer, on the next page either", async () => {
      const api = boot({config: only({cooldown_days: 30})});
      await vi.waitFor(() => expect($("[role=dialog]")).not.toBe(null));
      choose(9);
      submit();
      submit();
      boot({config: only({cooldown_days: 30})});
      await ready();
      expect($("[role=dialog]")).toBe(null);
      expect(api).not.toBe(window.FeedbackWidget);
    });
    it("does not take the focus from a visitor typing into the page", async () => {
      const config = only({event: "typing"});
      const api = boot({config});
      const field = document.body.appendChild(document.createElement("input"));
      field.focus();
      await ready();
      api.track("typing");
      await vi.waitFor(() => expect($("[role=dialog]")).not.toBe(null));
      expect(document.activeElement).toBe(field);
      expect($("[role=dialog]").getAttribute("aria-modal")).toBe("false");
    });
    it("decides sampling once per visitor", async () => {
      boot({config: only({sample_percent: 50})});
      await ready();
      const roll = stored().rolls.nps;
      expect(roll).toBeGreaterThanOrEqual(0);
      const shown = $("[role=dialog]") != null;
      expect(shown).toBe(roll < 50);
      for (let load = 0; load < 3; load++) {
        boot({config: only({sample_percent: 50, cooldown_days: 0})});
        await ready();
        expect(stored().rolls.nps).toBe(roll);
        expect($("[role=dialog]") != null).toBe(shown);
      }
    });
    it("opens surveys by code even when the button is hidden", async () => {
      const config = baseConfig();
      config.widget.show_button = false;
      const api = boot({config});
      await ready();
      await api.open("stock");
      expect($("legend").textContent).toBe("In stock?");
      api.close();
      expect($("[role=dialog]")).toBe(null);
    });
    it("replays calls queued before the script loaded", async () => {
      boot({queued: [["identify", {id: "C7"}], ["open", "nps"], ["nonsense"]]});
      await vi.waitFor(() => expect(shadow()?.querySelector("[role=dialog]")).toBeTruthy());
      choose(9);
      submit();
      submit();
      await vi.waitFor(() => expect(posts.length).toBe(1));
      expect(posts[0].body.customer).toEqual({id: "C7"});
    });
    it("reloads its texts in the language set by setLanguage", async () => {
      const api = boot();
      await ready();
      const hungarian = Object.assign(baseConfig(), {locale: "hu", strings: ["Visszajelzés", ...strings.slice(1)]});
      fetch.mockImplementation(() => Promise.resolve({ok: true, status: 200, json: () => Promise.resolve(hungarian)}));
      await api.setLanguage("hu-HU");
      expect(fetch.mock.calls.at(-1)[0]).toMatch(/config\?locale=hu-HU%2Cen-US$/);
      expect($(".fw-button").textContent).toBe("Visszajelzés");
      expect($(".fw").getAttribute("lang")).toBe("hu");
    });
  });

  describe("complaints", () => {
    const withComplaints = () => {
      const config = baseConfig();
      config.complaints = {enabled: true, categories: [{value: "delivery", text: "Delivery"}],
        privacy_policy_url: "javascript:alert(1)", privacy_policy_version: "3"};
      return config;
    };
    it("are offered only when the config enables them", async () => {
      const api = boot();
      await ready();
      await api.open("nps");
      expect($(".fw-link")).toBe(null);
    });
    // Raw, no server fills in the form's strings: it shows their names.
    const formText = (name) => file == "static/widget.js" ? name : formStrings.en[name];
    it("are checked, then sent in the complaint API's shape", async () => {
      const api = boot({config: withComplaints()});
      api.identify({id: "C1", loyaltyTier: "gold"});
      await ready();
      await api.open("nps");
      $(".fw-link").click();  // the form's script is fetched on this first use
      await vi.waitFor(() => expect($$("select option").map((o) => o.textContent)).toEqual([formText("complaint_choose"), "Delivery"]));
      expect($("select").value).toBe("");  // no category is chosen for the customer
      expect($("a")).toBe(null);  // a javascript: policy URL is never linked
      submit();
      // Each message under its field, named by the field's aria-describedby.
      for (const [field, message] of [["category", "complaint_category_required"], ["description", "required"],
        ["email", "invalid_email"], ["consent", "consent_required"]]) {
        expect($(`#fw-c-${field}-error`).textContent).toBe(formText(message));
        expect($(`#fw-c-${field}`).getAttribute("aria-describedby")).toBe(`fw-c-${field}-error`);
        expect($(`#fw-c-${field}`).getAttribute("aria-invalid")).toBe("true");
        expect($(`#fw-c-${field}`).closest(".fw-field").contains($(`#fw-c-${field}-error`))).toBe(true);
      }
      expect($("#fw-c-order-error").textContent).toBe("");
      expect(shadow().activeElement).toBe($("#fw-c-category"));
      $("select").value = "delivery";
      $("select").dispatchEvent(new Event("input", {bubbles: true}));
      expect($("#fw-c-category-error").textContent).toBe("");  // gone once the field is put right
      expect($("#fw-c-category").getAttribute("aria-invalid")).toBe(null);
      $("#fw-c-email").value = "ann@";
      $("#fw-c-email").dispatchEvent(new Event("input", {bubbles: true}));
      expect($("#fw-c-email-error").textContent).toBe(formText("invalid_email"));  // still wrong
      $("#fw-c-description").value = "Broken cup";
      $("#fw-c-wish").value = "A new one";
      $("#fw-c-name").value = "Ann";
      $("#fw-c-email").value = "ann@example.com";
      $("#fw-c-consent").checked = true;
      submit();
      expect($(".fw-thanks").textContent).toContain(formText("complaint_thanks"));
      await vi.waitFor(() => expect(posts.length).toBe(1));
      expect(posts[0].url).toBe("https://fw.test/feedback/api/v1/sites/site_t/complaints");
      expect(posts[0].body).toEqual({category: "delivery", description: "Broken cup", desired_resolution: "A new one",
        name: "Ann", email: "ann@example.com", order_number: null, consent: true, locale: "en",
        customer: {id: "C1", loyalty_tier: "gold"}, hp: "", elapsed_ms: expect.any(Number)});
    });
  });
});
