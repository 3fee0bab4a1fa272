"""The admin page of data rights (export, correction, erasure); the rules are
:mod:`feedbackwidget.privacy`."""
