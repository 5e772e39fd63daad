"""Links inside typeset formulas (`\\eqref`) that keyboards and screen readers can use.

MathJax's SVG output puts an `\\eqref`'s link inside an SVG marked aria-hidden (the assistive
MathML beside it is what screen readers read), so the link can take keyboard focus that a screen
reader cannot explain (axe: aria-hidden-focus). A formula with one link becomes that link: the
SVG's own <a> turns into a plain group and the whole formula is wrapped in an HTML <a> with the same
target, which reads as "(2)" from the assistive MathML. A formula with several links keeps them for
the mouse but takes them out of the tab order.
"""

from __future__ import annotations

import re

_SVG_LINK_RE = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_CONTAINER_RE = re.compile(r"(<mjx-container\b.*</mjx-container>)", re.DOTALL)
_ASSISTIVE_RE = re.compile(r"<mjx-assistive-mml\b.*?</mjx-assistive-mml>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


def accessible_math_links(html: str) -> str:
    if "<a href=" not in html or "<svg" not in html:
        return html
    links = _SVG_LINK_RE.findall(html)
    if len(links) != 1:
        return html.replace("<a href=", '<a tabindex="-1" href=')
    href = links[0][0]
    spoken = _ASSISTIVE_RE.search(html)
    text = " ".join(_TAG_RE.sub(" ", spoken.group(0)).split()) if spoken else ""
    label = f' aria-label="Equation {text}"' if text else ""
    html = _SVG_LINK_RE.sub(lambda m: f'<g class="math-ref-target">{m.group(2)}</g>', html)
    wrap = f'<a class="math-ref" href="{href}"{label}>'
    return _CONTAINER_RE.sub(lambda m: wrap + m.group(1) + "</a>", html, count=1)
