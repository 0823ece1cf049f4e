"""The container files describe what the code needs: every file the image copies exists, the
compose file starts the whole stack, and the health check and worker commands are real.

This machine has no container engine, so the image is not built here; docs/deployment.md
("Running it with containers") gives the manual check to run where one is."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.core.management import get_commands
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def test_every_file_the_image_copies_is_in_the_repository() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    sources = []
    for line in dockerfile.splitlines():
        match = re.match(r"COPY (?!--from)(.+) \S+$", line.strip())
        if match:
            sources += match.group(1).split()
    assert sources, "the Dockerfile copies nothing?"
    for source in sources:
        assert (ROOT / source).exists(), f"the image copies {source}, which is missing"


def test_the_image_runs_as_a_user_and_checks_its_health() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "\nUSER videocontact" in dockerfile
    assert "--require-hashes" in dockerfile
    health = re.search(r"CMD curl -fsS http://127.0.0.1:8000(\S+)", dockerfile)
    assert health is not None
    assert resolve(health.group(1)).url_name == "healthz"


def test_compose_starts_the_whole_stack() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"app", "worker", "migrate", "db", "redis", "nginx", "coturn"} <= set(services)
    assert services["worker"]["command"][-1] in get_commands()
    for mounted in ("nginx.conf", "turnserver.conf"):
        assert (DEPLOY / mounted).is_file()
    assert (DEPLOY / "env.example").is_file()


def test_compose_waits_for_the_app_to_be_ready() -> None:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    probe = services["app"]["healthcheck"]["test"]
    assert resolve(probe[-1].removeprefix("http://127.0.0.1:8000")).url_name == "readyz"
    assert services["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
