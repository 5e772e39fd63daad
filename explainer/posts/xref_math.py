"""Equation numbers as MathJax's AMS tagging gives them, so a cross-reference can say "Eq. (2)".

MathJax (`tags: 'ams'`, math.py) numbers, in page order: each `equation` and `multline`, and each
row of `align`, `gather`, `alignat`, `flalign`, `eqnarray`; never a starred environment, an inner
one (`split`, `aligned`, …), a row with `\\nonumber`/`\\notag`, or plain `$$…$$`. `\\tag{x}` names
a row without using a number, and a final empty row (a trailing `\\\\`) is dropped. A `\\label` names
the number of the row it is in. tests/posts/test_xref_math.py checks this against MathJax itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SINGLE = {"equation", "multline"}
_ROWS = {"align", "gather", "alignat", "flalign", "eqnarray", "xalignat", "xxalignat"}
_TOKEN_RE = re.compile(r"\\\\|\\[{}]|\\begin\s*\{([^}]*)\}|\\end\s*\{([^}]*)\}"
                       r"|\\label\s*\{([^}]*)\}|\\tag(\*?)\s*\{([^}]*)\}"
                       r"|\\(?:nonumber|notag)(?![A-Za-z])|[{}]")


@dataclass
class _Row:
    start: int
    tag: str | None = None
    skip: bool = False
    labels: list = field(default_factory=list)
    empty: bool = False


def _rows_of(tex: str) -> list[_Row]:
    """The numberable rows of one formula, in order (rows of unnumbered displays have skip=True,
    but keep an explicit \\tag: `$$ x \\tag{A} \\label{a} $$` is a valid target)."""
    rows: list[_Row] = []
    envs: list[str] = []  # open environments
    owner = None  # index in `envs` of the numbered environment whose rows we are in
    current = _Row(0, skip=True)
    braces = 0
    owner_braces = 0
    for m in _TOKEN_RE.finditer(tex):
        text = m.group(0)
        if m.group(1) is not None:
            name = m.group(1).strip()
            envs.append(name)
            if owner is None and (name in _SINGLE or name in _ROWS):
                owner, owner_braces = len(envs) - 1, braces
                rows.append(current)
                current = _Row(m.end())
        elif m.group(2) is not None:
            if owner is not None and len(envs) - 1 == owner:
                current.empty = not tex[current.start:m.start()].strip()
                rows.append(current)
                current, owner = _Row(m.end(), skip=True), None
            if envs:
                envs.pop()
        elif m.group(3) is not None:
            current.labels.append(m.group(3).strip())
        elif m.group(5) is not None:
            current.tag = m.group(5).strip()
        elif text in ("\\nonumber", "\\notag"):
            current.skip = True
        elif text == "\\\\":
            in_rows = owner is not None and len(envs) - 1 == owner and envs[owner] in _ROWS
            if in_rows and braces == owner_braces:
                rows.append(current)
                current = _Row(m.end())
        elif text == "{":
            braces += 1
        elif text == "}":
            braces -= 1
    rows.append(current)
    return rows


def _numbered_rows(tex: str) -> list[_Row]:
    rows = _rows_of(tex)
    # A trailing `\\` before \end leaves an empty last row, which MathJax drops.
    return [r for r in rows if not (r.empty and r.tag is None and not r.labels)]


def ams_labels(items) -> dict[str, str]:
    """{label: tag} for the formulas `items` (MathItems, in page order)."""
    counter, labels = 0, {}  # type: tuple[int, dict[str, str]]
    for item in items:
        for row in _numbered_rows(item.tex):
            if row.tag is not None:
                tag = row.tag
            elif row.skip:
                continue
            else:
                counter += 1
                tag = str(counter)
            for label in row.labels:
                labels.setdefault(label, tag)
    return labels
