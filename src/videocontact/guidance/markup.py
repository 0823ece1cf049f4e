"""A tiny, safe text format for help pages: paragraphs, lists, **bold**, *italic*.

Everything is HTML-escaped first; only the few tags made here reach the page."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")


def _inline(text: str) -> str:
    html = str(escape(text))
    html = STRONG.sub(r"<strong>\1</strong>", html)
    return EMPHASIS.sub(r"<em>\1</em>", html)


def _block(lines: list[str]) -> str:
    for pattern, tag in ((BULLET, "ul"), (NUMBERED, "ol")):
        matches = [pattern.match(line) for line in lines]
        if all(matches):
            items = "".join(f"<li>{_inline(m.group(1).strip())}</li>" for m in matches if m)
            return f"<{tag}>{items}</{tag}>"
    return "<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>"


def render(text: str) -> SafeString:
    """Help page text as HTML. Blank lines separate blocks."""
    blocks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return mark_safe("".join(_block(lines) for lines in blocks if lines))  # noqa: S308 (escaped)
