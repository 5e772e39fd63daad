"""Numbers for a rendered post body, and the cross-references filled in from them (see xref.py).

Figures and tables are numbered where they stand in the finished HTML, whatever made them: a
```figure block (still a placeholder here), a ```plotly fence, an al-folio include or raw HTML
`<figure>` with a `<figcaption>`, our image and table figures. Each gets "Figure 3:" at the start of
its caption. Equations keep MathJax's numbers, counted here the way MathJax's AMS tagging counts
them (`ams_labels`), so "Eq. (2)" matches the (2) beside the formula.
"""

from __future__ import annotations

import dataclasses
import difflib
import html as html_lib
import re
from dataclasses import dataclass

from .parsed import PageParse, fill_placeholders, page_of
from .xref_card import card_caption, card_html
from .xref_math import ams_labels

_NAMES = {"fig": ("Figure", "Figures"), "tbl": ("Table", "Tables"), "eq": ("Eq.", "Eqs."),
          "sec": ("Section", "Sections")}
_SCAN_RE = re.compile(r"<!--.*?-->|\x02figure:(\d+)\x03|<(/?)(figure|figcaption)\b([^>]*)>",
                      re.DOTALL | re.IGNORECASE)
_ID_RE = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
_TAG_RE = re.compile(r"<[^>]+>")
_PLACEHOLDER_RE = re.compile("\x02xref:\\d+\x03")
# al-folio's audio include is a <figure> too; a sound is not a numbered figure.
_AUDIO_ONLY_RE = re.compile(r"(?s)(?!.*<(?:img|svg|video|canvas|iframe|table|picture)\b).*<audio\b")
_BY_HAND_RE = {"fig": re.compile(r"^\s*(?:Figure|Fig\.?)\s*\d", re.IGNORECASE),
               "tbl": re.compile(r"^\s*Table\s*\d", re.IGNORECASE)}


@dataclass
class Target:
    kind: str  # fig | tbl | eq | sec
    id: str  # the element id links point at
    number: str  # "3"; a section's title
    caption: str = ""  # caption HTML, for the hover card


@dataclass
class _Float:
    start: int
    kind: str
    id: str
    caption_at: int | None = None  # where the label goes (after <figcaption…>)
    caption_end: int | None = None
    spec_index: int | None = None  # a ```figure block's index in the page's figures


def _scan_floats(html: str, page: PageParse) -> list[_Float]:
    floats, stack = [], []
    for m in _SCAN_RE.finditer(html):
        if m.group(1) is not None:
            spec = page.figures[int(m.group(1))]
            floats.append(_Float(m.start(), "fig", spec.id, spec_index=int(m.group(1))))
        elif m.group(3) is None:
            continue  # a comment
        elif m.group(3).lower() == "figure" and not m.group(2):
            attrs = m.group(4)
            id_m = _ID_RE.search(attrs)
            kind = "tbl" if "xref-table" in attrs else "fig"
            stack.append(_Float(m.start(), kind, id_m.group(1) if id_m else ""))
        elif m.group(3).lower() == "figure":
            if stack:
                f = stack.pop()
                if f.caption_end is not None and not _AUDIO_ONLY_RE.match(html[f.start:m.start()]):
                    floats.append(f)
        elif stack and not m.group(2) and stack[-1].caption_at is None:
            stack[-1].caption_at = m.end()
        elif stack and m.group(2) and stack[-1].caption_at is not None and stack[-1].caption_end is None:
            stack[-1].caption_end = m.start()
    return sorted(floats, key=lambda f: f.start)


def _caption_of(f: _Float, html: str, page: PageParse) -> str:
    if f.spec_index is not None:
        return page.figures[f.spec_index].caption_html
    return html[f.caption_at:f.caption_end]


def number_floats(html: str, page: PageParse) -> tuple[str, dict]:
    """Label every figure and table caption in `html`; returns the new html and the targets."""
    floats = _scan_floats(html, page)
    by_hand = {kind: any(_BY_HAND_RE[kind].match(_TAG_RE.sub("", _caption_of(f, html, page)))
                         for f in floats if f.kind == kind) for kind in ("fig", "tbl")}
    counts = {"fig": 0, "tbl": 0}
    targets: dict[tuple[str, str], Target] = {}
    inserts: list[tuple[int, str]] = []
    for f in floats:
        counts[f.kind] += 1
        number = str(counts[f.kind])
        caption = _caption_of(f, html, page)
        if f.id:
            targets.setdefault(("fig" if f.kind == "fig" else "tbl", f.id),
                               Target(f.kind, f.id, number, caption))
        if by_hand[f.kind]:
            continue
        label = f'<span class="float-label">{_NAMES[f.kind][0]}&nbsp;{number}:</span> '
        if f.spec_index is not None:
            spec = page.figures[f.spec_index]
            page.figures[f.spec_index] = dataclasses.replace(spec, caption_html=label + spec.caption_html)
        elif f.caption_at is not None:  # an HTML figure is numbered only when it has a caption
            inserts.append((f.caption_at, label))
    for at, label in sorted(inserts, reverse=True):
        html = html[:at] + label + html[at:]
    return html, targets


def _all_targets(floats: dict, page: PageParse) -> dict:
    targets = dict(floats)
    for h in page.headings:
        targets.setdefault(("sec", h.id), Target("sec", h.id, html_lib.escape(h.text)))
    for label, tag in ams_labels(page.math).items():
        targets.setdefault(("eq", label), Target("eq", f"mjx-eqn:{label}", f"({tag})"))
    return targets


def _find(ref: dict, targets: dict) -> Target | None:
    kind, name = ref["kind"], ref["name"]
    tried = [name, f"{kind}:{name}"] if ref["sep"] == ":" else [f"{kind}-{name}", name]
    return next((targets[(kind, n)] for n in tried if (kind, n) in targets), None)


_WHAT = {"fig": "figure", "tbl": "table", "eq": "equation", "sec": "section"}
_HOW = {"fig": "a ```figure block's `id:`, or {#fig:name} after an image",
        "tbl": "`Table: caption {#tbl:name}`",
        "eq": "`\\label{name}` in a numbered equation", "sec": "a heading's id"}


def _written(kind: str, target_id: str) -> str:
    """How an author refers to `target_id`: `@fig:x` for ids `x` and `fig:x`, `@fig-x` for `fig-x`."""
    if target_id.startswith(f"{kind}-"):
        return f"@{target_id}"
    return f"@{kind}:{target_id.removeprefix(kind + ':')}"


def _did_you_mean(ref: dict, targets: dict) -> str:
    kind, name = ref["kind"], ref["name"]
    same = {_written(kind, n).split(kind, 1)[1][1:]: n for k, n in targets if k == kind}
    close = difflib.get_close_matches(name, list(same), n=1, cutoff=0.6)
    if close:
        return f"; did you mean `{_written(kind, same[close[0]])}`?"
    for (k, n) in targets:
        if k != kind and n in (name, f"{k}:{name}", f"{k}-{name}"):
            return f"; `{name}` is a {_WHAT[k]}: write `{_written(k, n)}`"
    if same:
        return "; this page has " + ", ".join(f"`{_written(kind, n)}`" for n in list(same.values())[:6])
    return f"; this page has no {_WHAT[kind]} to refer to (give one an id: {_HOW[kind]})"


def _link(target: Target, text: str) -> str:
    if not target.id:  # unknown: the build fails on its error; render the text alone
        return text
    href = "#" + html_lib.escape(target.id, quote=True)
    card = card_html(target) if target.kind in ("fig", "tbl") else ""
    attrs = f' data-xref-eq="{html_lib.escape(target.id)}"' if target.kind == "eq" else ""
    return (f'<span class="xref xref-{target.kind}"{attrs}><a class="xref-link" href="{href}">{text}</a>'
            f"{card}</span>")


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _render(meta: dict, targets: dict, page: PageParse) -> str:
    found = []
    for ref in meta["refs"]:
        target = _find(ref, targets)
        if target is None:
            message = f"unknown cross-reference `{ref['written']}`" + _did_you_mean(ref, targets)
            if ref["sep"] == ":":
                page.diag.error(page.path, meta["line"], message, col=meta["col"])
            else:  # Quarto's form; could be prose such as "@sec-ops", so only a warning
                page.diag.warn(page.path, meta["line"], message + " (write `\\@` for a literal @)",
                                 col=meta["col"])
                return html_lib.escape(" ".join(r["written"] for r in meta["refs"]))
            found.append((ref, Target(ref["kind"], "", "??")))
        else:
            found.append((ref, target))
    groups: list[tuple[str, bool, list[Target]]] = []  # consecutive refs of one kind share a name
    for ref, target in found:
        if groups and groups[-1][0] == target.kind and groups[-1][1] == ref["suppress"]:
            groups[-1][2].append(target)
        else:
            groups.append((target.kind, ref["suppress"], [target]))
    out = []
    for kind, suppress, targets_ in groups:
        if suppress or kind == "sec":
            out.append(_join([_link(t, t.number) for t in targets_]))
        elif len(targets_) == 1:  # "Figure 3" is one link: a bigger target to hover or tap
            out.append(_link(targets_[0], f"{_NAMES[kind][0]}&nbsp;{targets_[0].number}"))
        else:
            out.append(f"{_NAMES[kind][1]}&nbsp;{_join([_link(t, t.number) for t in targets_])}")
    return _join(out) if len(out) > 1 else out[0]


def fill_xrefs(html: str, env: dict) -> str:
    """Number the figures and tables of a rendered body and fill in its references (also those in
    footnotes and figure captions); unknown ids are reported to the page's diagnostics."""
    page = page_of(env)
    refs, page.xrefs = page.xrefs, []
    html, floats = number_floats(html, page)
    if not refs:
        return html
    targets = _all_targets(floats, page)
    rendered = [_render(meta, targets, page) for meta in refs]
    # A caption may refer to another figure; its card shows that reference as text.
    as_text = [card_caption(r) for r in rendered]
    rendered = [_PLACEHOLDER_RE.sub("", fill_placeholders(r, "xref", as_text)) for r in rendered]
    page.footnotes[:] = [dataclasses.replace(f, html=fill_placeholders(f.html, "xref", rendered))
                         for f in page.footnotes]
    page.figures[:] = [dataclasses.replace(spec, caption_html=fill_placeholders(spec.caption_html, "xref",
                                                                            rendered))
                       for spec in page.figures]
    return fill_placeholders(html, "xref", rendered)
