"""feedbackwidget.web.orders."""
