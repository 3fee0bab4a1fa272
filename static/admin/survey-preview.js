// The survey preview (templates/feedbackwidget/admin/survey_preview.html): the widget's preview mode.
//
// The page runs the real widget, /feedback/widget.js as shops embed it, unchanged (it has no room to spare:
// tests/test_widget_config.py holds it to its size). This file, loaded before it, answers the widget's
// requests to its site's API inside the page: the config comes from the page's
// <script type="application/json" id="fw-preview-config"> ({locale: config}, the draft's), in the language the
// widget asks for first, and whatever it sends is answered "refused", so nothing leaves the page and the
// widget says what the config's "refused" text says ("Preview: nothing was recorded."). The widget's tag
// names a site key no site has ("fw-preview"): should this file fail, the server refuses it too.
// Then it opens the survey, opens it again on request, and switches its language in place (a posted draft
// would be lost by a reload; without this file the language links reload the saved survey).
"use strict";
(function () {
  var data = document.getElementById("fw-preview-config");
  var tag = document.querySelector("script[data-site][data-preview-lang]");
  if (!data || !tag) return;
  var configs = JSON.parse(data.textContent);
  var api = new URL("api/v1/sites/" + encodeURIComponent(tag.getAttribute("data-site")), new URL(".", tag.src)).href;
  var passOn = window.fetch;
  var reply = function (status, body) {
    return Promise.resolve(new Response(JSON.stringify(body), {status: status, headers: {"Content-Type": "application/json"}}));
  };
  // The first language of the widget's ?locale= list (setLanguage()'s, then the browser's) the preview has.
  var configFor = function (url) {
    var asked = (new URL(url).searchParams.get("locale") || "").split(",");
    var codes = asked.map(function (code) { return code.slice(0, 2).toLowerCase(); });
    return configs[codes.filter(function (code) { return configs[code]; })[0] || tag.getAttribute("data-preview-lang")];
  };
  window.fetch = function (resource, init) {
    var url = String(resource && resource.url || resource);
    if (url.indexOf(api + "/") !== 0) return passOn.apply(window, arguments);
    if (init && init.method && init.method !== "GET") return reply(422, {code: "preview", message: "Preview: nothing was recorded."});
    return reply(200, configFor(url));
  };
  // Calls made before the widget loads: it makes them as it starts.
  window.FeedbackWidget = {q: [["setLanguage", tag.getAttribute("data-preview-lang")], ["open"]]};

  document.addEventListener("DOMContentLoaded", function () {
    var widget = window.FeedbackWidget;
    var again = document.getElementById("fw-preview-again");
    if (!widget || !widget.version || !again) return;
    var links = Array.prototype.slice.call(document.querySelectorAll("[data-preview-lang]:not(script)"));
    var show = function () { widget.open(); };
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        links.forEach(function (other) { other.removeAttribute("aria-current"); });
        link.setAttribute("aria-current", "true");
        widget.setLanguage(link.getAttribute("data-preview-lang")).then(show);
      });
    });
    again.hidden = false;
    again.addEventListener("click", show);
  });
})();
