"""HTML template → PDF with WeasyPrint (HarfBuzz shapes Arabic; fonts from Debian packages).

Images are served to WeasyPrint from memory through `report:` URLs; every other URL is refused,
so rendering a report never touches the network or the file system. JPEG photos are embedded
byte for byte (WeasyPrint writes them as DCTDecode streams when it is not asked to optimise or
re-compress), so the PDF holds them at full resolution.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache

from django.template.loader import get_template, render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from videocontact.reports.content import REPORT_LANGUAGE, ReportContent

TEMPLATE = "reports/report.html"
# Embed images as they are (no re-encoding, no resampling); no HTML presentational hints.
PDF_OPTIONS = {"optimize_images": False, "jpeg_quality": None, "dpi": None}
STYLESHEET = "reports/report.css"


class MemoryFetcher(URLFetcher):
    """Serves `report:` URLs from a dict; refuses everything else (no network, no files)."""

    def __init__(self, resources: dict[str, tuple[bytes, str]]) -> None:
        super().__init__(allowed_protocols=["report"], fail_on_errors=True)
        self.resources = resources

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        try:
            data, mime = self.resources[url]
        except KeyError as exc:
            raise ValueError(f"the report refers to an unknown resource {url!r}") from exc
        return URLFetcherResponse(url, data, {"Content-Type": mime})


@cache
def _font_config() -> FontConfiguration:
    # One FontConfiguration for the process: fontconfig is set up once, not per report.
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    source = get_template(STYLESHEET).template.source  # type: ignore[attr-defined]
    return CSS(string=source, font_config=_font_config())


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    html_seconds: float
    layout_seconds: float
    pages: int


def render_html(content: ReportContent) -> str:
    with translation.override(REPORT_LANGUAGE):
        return render_to_string(TEMPLATE, {"r": content})


def render_pdf(content: ReportContent) -> Rendered:
    started = time.perf_counter()
    html = render_html(content)
    rendered_at = time.perf_counter()
    document = HTML(
        string=html, url_fetcher=MemoryFetcher(content.images), base_url="report:/"
    ).render(font_config=_font_config(), stylesheets=[_stylesheet()], **PDF_OPTIONS)
    pdf = document.write_pdf(**PDF_OPTIONS)
    done = time.perf_counter()
    return Rendered(
        pdf=pdf,
        html_seconds=rendered_at - started,
        layout_seconds=done - rendered_at,
        pages=len(document.pages),
    )
