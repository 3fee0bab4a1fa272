/* feedbackwidget: the embeddable survey widget (ES2017, no dependencies).
 * Embed: <script src="https://HOST/feedback/widget.js" data-site="KEY" async></script>
 * First version: the site's first active NPS survey, its follow-up and a thank-you. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.FeedbackWidget) return;
  var siteKey = script.getAttribute("data-site");
  var base = script.src.replace(/\/widget(\.[0-9a-f]+)?\.js(\?.*)?$/, "");
  var lang = script.getAttribute("data-lang") || (navigator.languages || [navigator.language])[0] || "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function uuid() {
    return (crypto.randomUUID && crypto.randomUUID()) ||
      Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function band(score) { return score <= 6 ? "detractor" : score <= 8 ? "passive" : "promoter"; }

  function submit(config, survey, answers) {
    return fetch(base + "/api/v1/sites/" + encodeURIComponent(siteKey) + "/responses", {
      method: "POST", keepalive: true,
      headers: { "Content-Type": "application/json", "Idempotency-Key": uuid() },
      body: JSON.stringify({ survey: survey.slug, answers: answers, page_url: location.href, locale: config.locale })
    });
  }

  function render(config, survey) {
    var host = el("div", { "data-feedbackwidget": "" });
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(el("link", { rel: "stylesheet", href: base + "/static/widget.css" }));
    var dialog = el("div", { role: "dialog", "aria-modal": "false", "aria-label": config.strings.dialog_title, "class": "fw-dialog" });
    root.appendChild(dialog);
    var score = survey.questions.filter(function (q) { return q.type === "nps"; })[0];
    var followUp = survey.questions.filter(function (q) { return q.follow_up_of === score.key; })[0];
    var close = el("button", { type: "button", "class": "fw-close", "aria-label": config.strings.close }, "\u00d7");
    close.addEventListener("click", function () { host.remove(); });
    dialog.appendChild(close);
    dialog.appendChild(el("p", { "class": "fw-question", id: "fw-q" }, score.text));
    var scale = el("div", { role: "radiogroup", "aria-labelledby": "fw-q", "class": "fw-scale" });
    var answers = {};
    for (var i = 0; i <= 10; i++) {
      (function (value) {
        var b = el("button", { type: "button", role: "radio", "aria-checked": "false", "class": "fw-score" }, String(value));
        b.addEventListener("click", function () { answers[score.key] = value; showFollowUp(value); });
        scale.appendChild(b);
      })(i);
    }
    dialog.appendChild(scale);

    function showFollowUp(value) {
      dialog.textContent = "";
      dialog.appendChild(close);
      var label = el("label", { "for": "fw-text", "class": "fw-question" },
        (followUp.text_by_band || {})[band(value)] || followUp.text);
      var area = el("textarea", { id: "fw-text", maxlength: String(followUp.max_length || 2000) });
      var send = el("button", { type: "button", "class": "fw-send" }, config.strings.send);
      send.addEventListener("click", function () {
        if (area.value.trim()) answers[followUp.key] = area.value;
        submit(config, survey, answers).then(function () {
          dialog.textContent = "";
          dialog.appendChild(close);
          dialog.appendChild(el("p", { "class": "fw-thanks", role: "status" }, config.strings.thanks));
        });
      });
      dialog.appendChild(label);
      dialog.appendChild(area);
      dialog.appendChild(send);
      area.focus();
    }
    document.body.appendChild(host);
  }

  window.FeedbackWidget = { version: 1 };
  fetch(base + "/api/v1/sites/" + encodeURIComponent(siteKey) + "/config?locale=" + encodeURIComponent(lang))
    .then(function (r) { return r.json(); })
    .then(function (config) {
      var survey = (config.surveys || []).filter(function (s) { return s.template === "nps"; })[0];
      if (survey) render(config, survey);
    });
})();
