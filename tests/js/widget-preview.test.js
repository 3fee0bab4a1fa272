// @vitest-environment jsdom
// The widget in the admin's survey preview (templates/feedbackwidget/admin/survey_preview.html): the real
// widget, unchanged, with static/admin/survey-preview.js loaded first, which answers the widget's requests
// inside the page from the page's JSON ({locale: config}, the draft's) and refuses whatever it sends.
// Run on the hand-written source and on the build shops get, like tests/js/widget.test.js.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

const read = (file) => readFileSync(resolve(__dirname, "../..", file), "utf8");
const glue = read("static/admin/survey-preview.js");
let code;
const strings = (thanks, refused) => ["Feedback", "Your feedback", "Close", "Send", "Next", "Back", "Question {current} of {total}",
  thanks, "Please answer this question.", "{count} characters left", "You are offline.", refused, "Tell us"];
const config = (locale, text, thanks, refused) => ({
  locale, site: {key: "fw-preview", default_locale: "en"}, strings: strings(thanks, refused), min_fill_ms: 0,
  widget: {position: "bottom-left", color: "#7a1f5c", on_color: "#fff", show_button: true},
  complaints: {enabled: false},
  surveys: [{slug: "nps", template: "nps", triggers: {manual: true, cooldown_days: 30}, questions: [
    {key: "score", type: "nps", required: true, text, scale: {low: "0", high: "10"},
      options: [...Array(11).keys()].map((n) => ({value: n, text: String(n)}))}]}],
});
const CONFIGS = {
  en: config("en", "Would you recommend our draft?", "Thank you!", "Thank you! Preview: nothing was recorded."),
  hu: config("hu", "Ajánlaná a piszkozatunkat?", "Köszönjük!", "Köszönjük! Előnézet: semmit sem rögzítettünk."),
};

// The page as the server writes it: the JSON, the admin language links, the preview's script, the widget's tag.
function boot(lang) {
  document.head.textContent = "";
  document.body.textContent = "";
  delete window.FeedbackWidget;
  localStorage.clear();
  const data = Object.assign(document.createElement("script"), {type: "application/json", id: "fw-preview-config",
    textContent: JSON.stringify(CONFIGS)});
  const again = Object.assign(document.createElement("button"), {id: "fw-preview-again", hidden: true});
  const links = Object.keys(CONFIGS).map((code) => {
    const link = Object.assign(document.createElement("a"), {href: "?in=" + code, textContent: code});
    link.setAttribute("data-preview-lang", code);
    return link;
  });
  document.body.append(data, again, ...links);
  const tag = document.createElement("script");
  tag.setAttribute("src", "https://fw.test/feedback/widget.js");
  tag.setAttribute("data-site", "fw-preview");
  tag.setAttribute("data-preview-lang", lang);
  document.head.appendChild(tag);
  // The network: the preview must never reach it.
  globalThis.fetch = vi.fn(() => Promise.reject(new Error("the preview went to the network")));
  const network = globalThis.fetch;
  new Function(glue)();
  new Function(code)();
  document.dispatchEvent(new Event("DOMContentLoaded"));
  return {network, links, again};
}
const shadow = () => document.querySelector("feedback-widget")?.shadowRoot;
const $ = (selector) => shadow().querySelector(selector);
const legend = () => vi.waitFor(() => { expect($("legend")).toBeTruthy(); return $("legend").textContent; });

afterEach(() => vi.restoreAllMocks());

describe.each([["the source", "static/widget.js"], ["the build", "static/widget.min.js"]])("%s", (_, file) => {
  beforeAll(() => { code = read(file); });

  it("opens the draft's survey in the page's language, in the site's look, without the network", async () => {
    const {network, again} = boot("hu");
    expect(await legend()).toBe("Ajánlaná a piszkozatunkat?");
    expect($(".fw").getAttribute("class")).toBe("fw fw-bottom-left");
    expect($(".fw").style.getPropertyValue("--fw-color")).toBe("#7a1f5c");
    expect($(".fw").getAttribute("lang")).toBe("hu");
    expect(again.hidden).toBe(false);
    expect(network).not.toHaveBeenCalled();
  });

  it("switches language in place from the page's links", async () => {
    const {network, links} = boot("hu");
    await legend();
    links[0].dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
    await vi.waitFor(() => expect($("legend").textContent).toBe("Would you recommend our draft?"));
    expect(links[0].getAttribute("aria-current")).toBe("true");
    expect(links[1].getAttribute("aria-current")).toBe(null);
    expect(network).not.toHaveBeenCalled();
  });

  it("sends nothing: the answer is refused in the page, and the widget says it was a preview", async () => {
    const {network} = boot("en");
    await legend();
    shadow().querySelectorAll("input[type=radio]")[9].checked = true;
    vi.spyOn(console, "warn").mockImplementation(() => {});
    $("form").dispatchEvent(new Event("submit", {cancelable: true}));
    await vi.waitFor(() => expect($(".fw-thanks p").textContent).toBe("Thank you! Preview: nothing was recorded."));
    expect(network).not.toHaveBeenCalled();
    expect(JSON.parse(localStorage.getItem("feedbackwidget:fw-preview")).queue).toEqual([]);
  });
});
