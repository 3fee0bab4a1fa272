// @vitest-environment jsdom
// The widget's preview mode, as the admin's survey preview uses it (templates/feedbackwidget/admin/
// survey_preview.html): the script tag's data-preview names a JSON element holding {locale: config}; the
// widget renders that config, in data-lang's language or setLanguage()'s, and never stores or sends
// anything. Run on the hand-written source and on the build shops get, like tests/js/widget.test.js.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const read = (file) => readFileSync(resolve(__dirname, "../..", file), "utf8");
let code;
const strings = (thanks) => ["Feedback", "Your feedback", "Close", "Send", "Next", "Back", "Question {current} of {total}",
  thanks, "Please answer this question.", "{count} characters left", "You are offline.", "Not sent.", "Tell us"];
const config = (locale, text, thanks, preview) => ({
  locale, site: {key: "site_t", default_locale: "en"}, strings: strings(thanks), min_fill_ms: 0, preview,
  widget: {position: "bottom-left", color: "#7a1fbf", on_color: "#fff", show_button: true},
  complaints: {enabled: false},
  surveys: [{slug: "nps", template: "nps", triggers: {manual: true, cooldown_days: 30}, questions: [
    {key: "score", type: "nps", required: true, text, scale: {low: "0", high: "10"},
      options: [...Array(11).keys()].map((n) => ({value: n, text: String(n)}))}]}],
});
const CONFIGS = {
  en: config("en", "Would you recommend our draft?", "Thank you!", "Preview: nothing was recorded."),
  hu: config("hu", "Ajánlaná a piszkozatunkat?", "Köszönjük!", "Előnézet: semmi sem került rögzítésre."),
};

function boot(lang) {
  document.head.textContent = "";
  document.body.textContent = "";
  delete window.FeedbackWidget;
  const data = document.createElement("script");
  data.type = "application/json";
  data.id = "fw-preview-config";
  data.textContent = JSON.stringify(CONFIGS);
  document.body.append(data);
  const script = document.createElement("script");
  script.setAttribute("src", "https://fw.test/feedback/widget.js");
  script.setAttribute("data-site", "site_t");
  script.setAttribute("data-preview", "fw-preview-config");
  script.setAttribute("data-lang", lang);
  document.head.appendChild(script);
  globalThis.fetch = vi.fn(() => Promise.reject(new Error("the preview fetched")));
  new Function(code)();
  return window.FeedbackWidget;
}
const shadow = () => document.querySelector("feedback-widget")?.shadowRoot;
const $ = (selector) => shadow().querySelector(selector);
const ready = () => vi.waitFor(() => expect(shadow()).toBeTruthy());

beforeEach(() => localStorage.clear());
afterEach(() => vi.restoreAllMocks());

describe.each([["the source", "static/widget.js"], ["the build", "static/widget.min.js"]])("%s", (_, file) => {
  beforeAll(() => { code = read(file); });

  it("renders the given config in data-lang's language without fetching one", async () => {
    const api = boot("en");
    await ready();
    expect($(".fw-button").textContent).toBe("Feedback");
    expect($(".fw").getAttribute("class")).toBe("fw fw-bottom-left");
    expect($(".fw").style.getPropertyValue("--fw-color")).toBe("#7a1fbf");
    await api.open();
    expect($("legend").textContent).toBe("Would you recommend our draft?");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("switches language from the same element, and a reopened survey reads in it", async () => {
    const api = boot("en");
    await ready();
    await api.setLanguage("hu");
    await api.open();
    expect($("legend").textContent).toBe("Ajánlaná a piszkozatunkat?");
    expect($(".fw").getAttribute("lang")).toBe("hu");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("sends and stores nothing on submit, and says so", async () => {
    const api = boot("hu");
    await ready();
    await api.open();
    shadow().querySelectorAll("input[type=radio]")[9].checked = true;
    $("form").dispatchEvent(new Event("submit", {cancelable: true}));
    expect([...shadow().querySelectorAll(".fw-thanks p")].map((p) => p.textContent))
      .toEqual(["Köszönjük!", "Előnézet: semmi sem került rögzítésre."]);
    await new Promise((done) => setTimeout(done, 20));
    expect(fetch).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
  });
});
