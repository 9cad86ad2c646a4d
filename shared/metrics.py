"""Prometheus collectors shared by every service (served on `/metrics`)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

APPEND_SECONDS = Histogram(
    "qingqian_append_seconds",
    "Time to append one command's events to the store",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)
EVENTS_APPENDED = Counter("qingqian_events_appended_total", "Events appended")
COMMANDS_REFUSED = Counter(
    "qingqian_commands_refused_total", "Commands refused", ["code"]
)
RELAY_LAG = Gauge(
    "qingqian_relay_lag_events", "Committed events not yet published", ["topic"]
)
RELAY_PUBLISHED = Counter(
    "qingqian_relay_published_total", "Events published by the relay", ["topic"]
)
PROJECTION_LAG = Gauge(
    "qingqian_projection_lag_messages",
    "Messages on the topic not yet applied by the projection",
    ["projection", "topic"],
)
PROJECTION_APPLIED = Counter(
    "qingqian_projection_applied_total", "Events applied", ["projection"]
)
PARKED_EVENTS = Gauge(
    "qingqian_parked_events", "Events parked after failing to apply", ["projection"]
)
UNAUTHENTICATED_EVENTS = Counter(
    "qingqian_unauthenticated_events_total",
    "Events the relay refused to sequence: writer tag missing, invalid or by an unknown key",
)
