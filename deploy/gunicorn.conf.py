"""gunicorn settings for one feedbackwidget host (several hosts share PostgreSQL and Redis).

Run: gunicorn -c deploy/gunicorn.conf.py 'feedbackwidget:create_app()'
"""

import multiprocessing
import os

bind = os.environ.get("FEEDBACKWIDGET_BIND", "127.0.0.1:8000")
# Sync workers: each submission is one short database round trip.
workers = int(os.environ.get("FEEDBACKWIDGET_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows.
max_requests = 10000
max_requests_jitter = 1000
accesslog = "-"
errorlog = "-"
# nginx on the same machine is the one trusted proxy (FEEDBACKWIDGET_TRUSTED_PROXIES=1 in the env file);
# feedbackwidget itself decides which X-Forwarded-For entry to believe.
forwarded_allow_ips = "127.0.0.1"
