"""Process-level metrics the apps update as things happen (prometheus_client). Figures that live
in the database (rooms, jobs, failures) are read at scrape time by `ops.metrics`."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

WEBSOCKETS = Gauge("ovc_websockets_open", "Room WebSockets open in this process")
FRAMES = Counter(
    "ovc_room_frames_total", "Inbound room frames by type and outcome", ["type", "outcome"]
)
FRAME_SECONDS = Histogram(
    "ovc_room_frame_seconds",
    "Time to handle one inbound room frame, relaying it included",
    ["type"],
    buckets=(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
