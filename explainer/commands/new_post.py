"""`explainer new "Title"`: start a post with its front matter filled in from site.yml.

Writes `content/posts/YYYY-MM-DD-slug.md` (al-folio's naming) and, when missing, the empty
bibliography it names, so the new post builds at once. Never overwrites anything.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..base.config import Author, load_site_config
from ..base.errors import Diagnostics, ExplainerError
from ..posts.read import POST_NAME_RE, slugify

DESCRIPTION_PLACEHOLDER = "One sentence on what the reader will understand after reading this."


class PostExists(ExplainerError):
    """The post file is already there; `new` never overwrites."""


def _quote(text: str) -> str:
    """A YAML scalar that reads back as exactly `text` (JSON strings are YAML double-quoted strings)."""
    return json.dumps(text, ensure_ascii=False)


def _authors_yaml(authors: tuple[Author, ...]) -> str:
    if not authors:
        return "authors: []\n"
    lines = ["authors:"]
    for a in authors:
        lines.append(f"  - name: {_quote(a.name)}")
        if a.url:
            lines.append(f"    url: {_quote(a.url)}")
        if len(a.affiliations) == 1:  # al-folio's own shape
            aff = a.affiliations[0]
            lines.append("    affiliations:")
            lines.append(f"      name: {_quote(aff.name)}")
            if aff.url:
                lines.append(f"      url: {_quote(aff.url)}")
        elif a.affiliations:
            lines.append("    affiliations:")
            for aff in a.affiliations:
                lines.append(f"      - name: {_quote(aff.name)}")
                if aff.url:
                    lines.append(f"        url: {_quote(aff.url)}")
    return "\n".join(lines) + "\n"


def post_text(title: str, date: dt.date, authors: tuple[Author, ...], bibliography: str) -> str:
    return (
        "---\n"
        "layout: distill\n"
        f"title: {_quote(title)}\n"
        f"description: {_quote(DESCRIPTION_PLACEHOLDER)}\n"
        f"date: {date.isoformat()}\n"
        + _authors_yaml(authors)
        + f"bibliography: {bibliography}\n"
        "toc: []\n"
        "---\n\n"
        "Write the first paragraph here. Cite with `<d-cite key=\"...\"></d-cite>` once the\n"
        f"entry is in `content/bibliography/{bibliography}`.\n"
    )


def parse_day(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ExplainerError(f"--date {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-01") from None


def _same_permalink(posts: Path, year: int, slug: str) -> Path | None:
    """Another post of the same year and slug would publish at the same URL."""
    for other in sorted(posts.glob(f"{year:04d}-*")):
        m = POST_NAME_RE.match(other.stem)  # `2021-5-5-score.md` publishes at /blog/2021/score/ too
        if other.suffix in (".md", ".markdown") and m and slugify(m.group(4)) == slug:
            return other
    return None


def new_post(content: Path, title: str, date: dt.date) -> Path:
    """Write the post (and its empty .bib if missing); returns the post's path."""
    if not title.strip():
        raise ExplainerError("the title is empty; run e.g. `explainer new \"How autoencoders forget\"`")
    diag = Diagnostics()
    site = load_site_config(content / "site.yml", diag)
    if diag.errors:
        raise ExplainerError("site.yml has errors; fix them first:\n" + "\n".join(map(str, diag.errors)))
    stem = f"{date.isoformat()}-{slugify(title)}"
    path = content / "posts" / f"{stem}.md"
    if path.exists():
        raise PostExists(f"{path} already exists; choose another title or --date (nothing was written)")
    clash = _same_permalink(content / "posts", date.year, slugify(title))
    if clash is not None:
        raise PostExists(f"{clash} already publishes at /blog/{date.year}/{slugify(title)}/; "
                         "choose another title (nothing was written)")
    bib = content / "bibliography" / f"{stem}.bib"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:  # "x": fails rather than overwrite, even in a race
        f.write(post_text(title.strip(), date, site.authors, bib.name))
    if not bib.exists():
        bib.parent.mkdir(parents=True, exist_ok=True)
        bib.write_text(f"% BibTeX entries cited by {path.name}\n", encoding="utf-8")
    return path
