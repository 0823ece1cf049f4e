"""Fixtures for language tests: a started questionnaire (from the questionnaires tests)."""

from tests.questionnaires.conftest import (  # noqa: F401 (fixtures)
    definition,
    questionnaire,
    template_version,
)
