"""The orders area on the web: the orders endpoint, the platforms' webhooks and the admin's
Orders page; the orders themselves are :mod:`feedbackwidget.orders`."""
