"""An organisation's SVG logo: checked against a strict allowlist when saved, and shown only as
an <img> (a data: URL), where a browser runs no script and loads nothing from elsewhere."""

from __future__ import annotations

import base64
import re
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LOGO_BYTES = 100_000
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "title",
        "desc",
        "defs",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "use",
        "symbol",
    ]
)
ATTRIBUTES = frozenset(
    [
        "id",
        "class",
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "clip-path",
        "clip-rule",
        "mask",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "letter-spacing",
        "dominant-baseline",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "fx",
        "fy",
        "clipPathUnits",
        "maskUnits",
        "preserveAspectRatio",
        "version",
        "role",
        "aria-hidden",
        "aria-label",
        "href",
        "style",
        "display",
        "visibility",
    ]
)
# Values may point inside the logo (url(#id), href="#id") and nowhere else.
OUTSIDE = re.compile(r"url\(\s*['\"]?(?!#)|javascript:|data:|@import|expression\(|\\", re.I)


def _invalid(message: Any) -> ValidationError:
    return ValidationError(message, code="logo_svg")


def _check(element: Element) -> None:
    tag = element.tag
    if not tag.startswith(SVG_NS) or tag[len(SVG_NS) :] not in ELEMENTS:
        raise _invalid(_("The logo may not contain the element %(tag)s.") % {"tag": tag})
    for name, value in element.attrib.items():
        local = "href" if name == XLINK_HREF else name
        if local not in ATTRIBUTES:
            raise _invalid(_("The logo may not contain the attribute %(name)s.") % {"name": name})
        if local == "href" and not value.startswith("#"):
            raise _invalid(_("Links in the logo may only point inside it."))
        if OUTSIDE.search(value):
            raise _invalid(_("The logo may not refer to anything outside it."))
    for child in element:
        _check(child)


def validate_logo_svg(markup: str) -> None:
    if not markup:
        return
    if len(markup.encode("utf-8")) > MAX_LOGO_BYTES:
        raise _invalid(_("The logo is larger than 100 kB."))
    try:
        root = fromstring(markup, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise _invalid(_("The logo is not valid SVG markup.")) from exc
    if root.tag != SVG_NS + "svg":
        raise _invalid(_("The logo must be one <svg> element (with the SVG namespace)."))
    _check(root)


def logo_data_uri(markup: str) -> str:
    """For <img src>: even markup stored before this check cannot run as a page."""
    encoded = base64.b64encode(markup.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
