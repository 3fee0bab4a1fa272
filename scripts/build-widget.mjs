// `npm run build`: the widget as shops get it, from the hand-written static/widget.js and static/widget.css.
//
//   static/widget.min.js            the widget: the source without its @debug, @complaint and @raw parts,
//                                   minified by terser, with widget.css (up to its @complaint marker) inside;
//   static/widget-complaint.min.js  the complaint form (the @complaint part) with the rest of the CSS,
//                                   fetched by the widget when a visitor first opens the form;
//   static/widget-debug.min.js      the sentences of debug mode (the @debug part), fetched by the widget
//                                   only on a page whose script tag has data-debug.
//
// All three are committed: the Python server serves them without node (feedbackwidget/widget/assets.py
// names the complaint and debug scripts by their content hashes and fills in the form's strings in
// every language).
// tests/js/build.test.js fails when they are stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const OUTPUTS = {
  widget: "static/widget.min.js", complaint: "static/widget-complaint.min.js", debug: "static/widget-debug.min.js",
};
const COMPLAINT_MARKERS = ["/*@complaint*/", "/*@complaint-end*/"], DEBUG_MARKERS = ["/*@debug*/", "/*@debug-end*/"];
// What only the raw source needs (it runs unbuilt in the unit tests) goes: /*@raw*/ ... /*@raw-end*/.
const RAW_ONLY = /\/\*@raw\*\/[\s\S]*?\/\*@raw-end\*\//g;
const CSS_MARKER = "/*@complaint*/";

// Our hand-written CSS only: comments and white space go. A space before ":" is kept (".fw :focus-visible"
// is a descendant selector); none of our values needs a space after ":", "," or around "{};>+!"
// (calc() needs them around + and -: ours has only "100vw - 16px").
export function minifyCss(css) {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s+/g, " ")
    .replace(/\s*([{};,>+])\s*/g, "$1")
    .replace(/:\s+/g, ":")
    .replace(/\s+!/g, "!")
    .replace(/;}/g, "}")
    .trim();
}

function cut(text, markers, file) {
  const parts = markers.reduce((acc, marker) => acc.concat(acc.pop().split(marker)), [text]);
  if (parts.length !== markers.length + 1) throw new Error(`${file} needs exactly one ${markers.join(" ... ")}: restore them`);
  return parts;
}

// unsafe_arrows and pure_getters hold for our code: no function of it uses `this` or `arguments` or is
// called with `new`, and no property it reads has a getter with side effects (a few bytes of the 6 KB).
async function terse(code) {
  const compress = { passes: 3, unsafe_arrows: true, pure_getters: true };
  const result = await minify(code, { ecma: 2017, compress, mangle: true, format: { comments: false } });
  return result.code + "\n";
}

/** The built files' contents, by output path. */
export async function build(root = ROOT) {
  const source = readFileSync(resolve(root, "static/widget.js"), "utf8");
  const stylesheet = readFileSync(resolve(root, "static/widget.css"), "utf8");
  const [start, debug, rest] = cut(source.replace(RAW_ONLY, ""), DEBUG_MARKERS, "static/widget.js");
  const [before, form, after] = cut(start + rest, COMPLAINT_MARKERS, "static/widget.js");
  const [widgetCss, formCss] = cut(stylesheet, [CSS_MARKER], "static/widget.css");
  if (!before.includes('"__FW_CSS__"')) throw new Error('static/widget.js lost its "__FW_CSS__" placeholder');
  const widget = await terse((before + after).replace('"__FW_CSS__"', JSON.stringify(minifyCss(widgetCss))));
  // Each part calls ready(name, code): here that hands the code to the widget, which set
  // FeedbackWidget._<name> before fetching the script; the form comes with its CSS and the strings the
  // server fills in (every language).
  const complaint = await terse(`(function (ready) {"use strict";${form}})(
    (name, form) => window.FeedbackWidget._complaint(form, ${JSON.stringify(minifyCss(formCss))}, "__FW_STRINGS__"));`);
  const sentences = await terse(`(function (ready) {"use strict";${debug}})((name, say) => window.FeedbackWidget._debug(say));`);
  return { [OUTPUTS.widget]: widget, [OUTPUTS.complaint]: complaint, [OUTPUTS.debug]: sentences };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [path, text] of Object.entries(await build())) {
    writeFileSync(resolve(ROOT, path), text);
    console.log(`${path}: ${text.length} B`);
  }
}
