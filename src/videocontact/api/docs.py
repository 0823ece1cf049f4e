"""The browsable reference page: Swagger UI from local files (drf-spectacular-sidecar), its
start-up script a separate request, so it runs under the strict CSP (no inline script/style)."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ReferencePage(SpectacularSwaggerSplitView):
    template_name = "api/reference.html"
    title = "Open Videocontact API v1"
