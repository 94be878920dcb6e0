"""Gunicorn settings for `make serve` and the systemd unit: address and workers from the environment."""
import multiprocessing
import os

wsgi_app = "akm_plan.wsgi:application"

# Loopback by default: nginx in front terminates TLS. Another host's load balancer needs
# e.g. GUNICORN_BIND=10.0.0.11:8000 and a firewall that lets only the balancer in.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# The usual 2 × cores + 1. Each worker keeps one database connection open (CONN_MAX_AGE), so
# workers × application servers must stay below PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# PDF reports of a whole plan take a few seconds; beyond this a worker is stuck and restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30

# Recycling workers now and then bounds the memory a slow leak (e.g. in PDF rendering) can take.
max_requests = 1000
max_requests_jitter = 100

# The access log goes to stdout, which systemd's journal collects.
accesslog = "-"
errorlog = "-"

# Gunicorn itself trusts X-Forwarded-Proto only from these addresses (nginx on the same host).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Gunicorn's control socket would live in the service user's home, which the systemd unit
# keeps read-only; reloads go through signals (systemctl reload sends HUP) instead.
control_socket_disable = True
