"""A post's front-matter `permalink:`, as Jekyll reads it: a path, with `:placeholders` filled in.

al-folio publishes posts at `/blog/:year/:title/` (its _config.yml); a post may say otherwise in
its front matter, most often with a literal path (`permalink: /track1/`), sometimes with Jekyll's
placeholders (`/:categories/:year/:month/:day/:title/`). Jekyll's URL rules are kept: doubled
slashes and segments of dots go, a leading `/` is added, a trailing `/` means a folder
(`…/index.html`). Unlike Jekyll, a path without a trailing slash or extension (`/track1`) is
published as a folder too (`/track1/` with `track1/index.html`), which every static host serves
at `/track1` as well, and which also works opened from disk and in the preview server.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

_PLACEHOLDER_RE = re.compile(r":([a-z_]+)")
_RESERVED = {"index.html", "404.html", "feed.xml", "sitemap.xml"}  # the site's own pages


def _values(date: dt.datetime, slug: str, categories) -> dict[str, str]:
    """Jekyll's UrlDrop for a post."""
    return {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "hour": f"{date.hour:02d}", "minute": f"{date.minute:02d}", "second": f"{date.second:02d}",
        "i_month": str(date.month), "i_day": str(date.day), "short_year": f"{date.year % 100:02d}",
        "short_month": date.strftime("%b").upper(), "long_month": date.strftime("%B"),
        "short_day": date.strftime("%a").upper(), "long_day": date.strftime("%A"),
        "y_day": date.strftime("%j"), "w_year": f"{date.isocalendar()[0]:04d}",
        "week": f"{date.isocalendar()[1]:02d}", "w_day": str(date.isocalendar()[2]),
        "title": slug, "slug": slug, "name": slug, "collection": "posts", "output_ext": ".html",
        "categories": "/".join(dict.fromkeys(str(c).lower() for c in categories)),
    }


def _sanitize(url: str) -> str:
    """Jekyll's URL#sanitize_url: no `//`, no segments made of dots, a leading `/`."""
    parts = [p for p in url.split("/") if p and not re.fullmatch(r"\.+", p)]
    return "/" + "/".join(parts) + ("/" if url.endswith("/") and parts else "")


def resolve_permalink(template: str, date: dt.datetime, slug: str,
                      categories=()) -> tuple[str | None, str | None]:
    """-> (site URL path such as `/track1/` or `/notes/a.html`, None) or (None, problem)."""
    values = _values(date, slug, categories)
    unknown = sorted({m.group(1) for m in _PLACEHOLDER_RE.finditer(template)} - set(values))
    if unknown:
        return None, (f"`permalink:` uses {', '.join(':' + u for u in unknown)}, which Jekyll does not "
                      f"know for posts; use a literal path or {', '.join(':' + k for k in sorted(values))}")
    url = _PLACEHOLDER_RE.sub(lambda m: quote(values[m.group(1)], safe="/-._~!$&'()*+,;=:@"), template)
    url = _sanitize(url)
    last = url.rstrip("/").rsplit("/", 1)[-1]
    if not url.endswith("/") and "." not in last:
        url += "/"  # see the module docstring
    out = "index.html" if url == "/" else output_path(url)
    if out in _RESERVED:
        return None, f"`permalink: {template}` would replace the site's own {out}; choose another path"
    return url, None


def output_path(url: str) -> str:
    """Site-relative file for a URL path: `/a/b/` -> `a/b/index.html`, `/a/b.html` -> `a/b.html`."""
    return url.strip("/") + "/index.html" if url.endswith("/") else url.lstrip("/")
