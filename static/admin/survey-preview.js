// The survey preview (templates/feedbackwidget/admin/survey_preview.html): the real widget runs there in
// preview mode (data-preview, see static/widget.js), which loads before this file. Here: open the survey
// at once, open it again on request, and switch its language without reloading (a posted draft would be
// lost by a reload; without this script the language links reload the saved survey).
"use strict";
(function () {
  var widget = window.FeedbackWidget;
  var again = document.getElementById("fw-preview-again");
  if (!widget || !widget.version || !again) return;
  var links = Array.prototype.slice.call(document.querySelectorAll("[data-preview-lang]"));
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
  show();
})();
