"""feedbackwidget.web.invitations."""
