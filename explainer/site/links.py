"""Checks on rendered pages: internal links and `#anchors` lead somewhere, images exist, images have
alt text, nothing is fetched from another host.

They run on the HTML a build produced, so every way of writing a link is covered (Markdown, raw
HTML, `{{ '/x' | relative_url }}`, a table of contents); the source line is found by looking for
what the author wrote in the post.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..base.errors import Diagnostic, Diagnostics
from .link_scan import PageScan, scan_html

_EXTERNAL_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")
SITE_FILES = ("index.html", "feed.xml", "sitemap.xml", "404.html")


@dataclass
class SiteIndex:
    """What exists in the site being checked."""

    files: set  # site-relative paths the build produces
    ids: dict  # page path -> ids on it
    content: Path | None = None  # a file at content/<path> also counts (copied static files)
    baseurl: str = ""

    def exists(self, rel: str) -> bool:
        return rel in self.files or (self.content is not None and (self.content / rel).is_file())


def resolve(page: str, url: str, baseurl: str = "") -> tuple[str | None, str, str | None]:
    """-> (site path or None, fragment, problem). External URLs give (None, "", None)."""
    if _EXTERNAL_RE.match(url):
        return None, "", None
    path, _, frag = url.partition("#")
    path = unquote(path.split("?", 1)[0])
    frag = unquote(frag)
    if not path:
        return page, frag, None
    if path.startswith("/"):
        if baseurl and not (path == baseurl or path.startswith(baseurl + "/")):
            return None, frag, (f"`{url}` leaves out the site's base path {baseurl}; write "
                                f"`{{{{ '{path}' | relative_url }}}}` or a relative link")
        target = path[len(baseurl):] if baseurl else path
        target = target.lstrip("/")
    else:
        target = posixpath.join(posixpath.dirname(page), path)
    wants_dir = path.endswith("/") or target in ("", ".")
    target = posixpath.normpath(target) if target else "."
    if target == ".." or target.startswith("../"):
        return None, frag, f"`{url}` points outside the site"
    if wants_dir or target == ".":
        target = "index.html" if target == "." else target + "/index.html"
    return target, frag, None


def _find(index: SiteIndex, target: str) -> str | None:
    for candidate in (target, target + "/index.html"):
        if index.exists(candidate):
            return candidate
    return None


def check_page(page: str, html: str | PageScan, index: SiteIndex, report, mark=None) -> None:
    """`report(severity, needle, message)` is told every problem; needle helps find the line.
    `mark(url, message)`, when given, is told the URL of each dead link or missing image, to mark
    on the page (link_marks.py).

    Dead links, dead anchors and missing images are warnings, as in MkDocs: a migrating author sees
    the pages and the marks on them; `--strict` (for CI) makes them errors."""
    def say(severity: str, needle: str, message: str, url: str | None = None) -> None:
        report(severity, needle, message)
        if url is not None and mark is not None:
            mark(url, message)

    scan = html if isinstance(html, PageScan) else scan_html(html)
    for href in dict.fromkeys(scan.links):
        target, frag, problem = resolve(page, href, index.baseurl)
        if problem:
            say("warning", href, f"broken link: {problem}", href)
            continue
        if target is None:
            continue
        found = _find(index, target)
        if found is None:
            say("warning", href, f"broken link to {site_url(target)}: nothing is published there"
                + _suggest(target, index.files, site_url), href)
        elif frag and found in index.ids and frag not in index.ids[found]:
            where = "on this page" if found == page else f"on {site_url(found)}"
            say("warning", "#" + frag, f"broken anchor `#{frag}`: no element with id `{frag}` {where}"
                + _suggest(frag, index.ids[found]), href)
    for src, alt in scan.images:
        _check_image(page, src, alt, index, say)


def _check_image(page: str, src: str, alt: str | None, index: SiteIndex, report) -> None:
    external = bool(_EXTERNAL_RE.match(src))
    target, _, problem = (None, "", None) if external else resolve(page, src, index.baseurl)
    shown = site_url(target) if target else src  # as the author wrote it, not as the page links it
    if not alt or not alt.strip():
        report("warning", src, f"image `{shown}` has no alt text; describe it for readers who cannot "
               f"see it: `![what the image shows]({shown})` in Markdown, `alt=\"…\"` in HTML or "
               "`{% include figure.liquid %}`")
    if src.startswith("data:"):
        return
    if external:
        report("warning", src, f"image `{src}` is loaded from another host, so readers' browsers "
               "make an external request; put a copy under content/ and link to it")
    elif problem:
        report("warning", src, f"image: {problem}", src)
    elif target is not None and _find(index, target) is None:
        report("warning", src, f"image `{shown}` not found: nothing is published there; put the file "
               f"at content/{target}", src)


def site_url(rel: str) -> str:
    """`blog/2023/a/index.html` -> `/blog/2023/a/`, as an author writes it."""
    return "/" + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)


def _suggest(word: str, choices, show=lambda c: f"`{c}`") -> str:
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    close = close or [c for c in choices if word and c.startswith(word)][:1]  # `#intro` for `introduction`
    return f" (did you mean {show(close[0])}?)" if close else ""


def line_of(source: str, needle: str, default: int) -> int:
    """1-based line of the first occurrence of `needle` (or its last path part) in the post."""
    for probe in (needle, needle.rstrip("/").rsplit("/", 1)[-1]):
        if probe:
            i = source.find(probe)
            if i >= 0:
                return source.count("\n", 0, i) + 1
    return default


def check_post(post, html: str | PageScan, index: SiteIndex, diag: Diagnostics,
               marks: dict | None = None) -> None:
    """Problems go to `diag`; the URLs to mark on the page, with their problem, to `marks`."""
    seen = set()

    def report(severity: str, needle: str, message: str) -> None:
        if message in seen:
            return
        seen.add(message)
        line = line_of(post.source, needle, post.body_line)
        (diag.error if severity == "error" else diag.warn)(post.path, line, message)

    check_page(post.out_path, html, index, report,
               None if marks is None else lambda url, message: marks.setdefault(url, message))


def check_site_links(results: list, ctx, content: Path, diag: Diagnostics,
                     unreadable=frozenset()) -> None:
    """Pipeline hook (`explainer check`): check every parsed page against every other."""
    from .pages import finish_page

    pages = []  # (post, its page's scan): every post, also two that claim one URL (an error already)
    for r in results:
        if r.finished:
            pages.append((r.post, r.scan))
        elif r.pending is not None:  # figures are not drawn in a check: stand-ins keep their ids
            stand_ins = [f'<figure id="{s.id}"></figure>' for s in r.pending.figures]
            pages.append((r.post, scan_html(finish_page(r.post, r.pending, stand_ins, ctx, needs_live=False))))
    ids = {post.out_path: scan.ids for post, scan in pages}
    files = set(ids) | set(SITE_FILES) | set(ctx.assets.values()) | set(unreadable)
    index = SiteIndex(files, ids, content, ctx.site.baseurl)
    for post, scan in pages:
        check_post(post, scan, index, diag)


class _IdsOnDisk(dict):
    """Ids of the pages a build rendered, plus those of pages it skipped as unchanged, which are
    read from the last build's output only when a link actually points into one of them."""

    def __init__(self, rendered: dict, skipped: set, out_dir: Path):
        super().__init__(rendered)
        self.skipped, self.out_dir = skipped, out_dir

    def __contains__(self, rel) -> bool:
        return dict.__contains__(self, rel) or rel in self.skipped

    def __missing__(self, rel):
        if rel not in self.skipped:
            raise KeyError(rel)
        try:
            ids = scan_html((self.out_dir / rel).read_text(encoding="utf-8")).ids
        except OSError:
            ids = set()
        self[rel] = ids
        return ids


def check_built_links(results: list, posts: list, outputs, out_dir: Path, content: Path, baseurl: str,
                      diag: Diagnostics, unreadable=frozenset()) -> None:
    """Pipeline hook (`explainer build`): links, anchors and images of every page, including pages
    this build skipped as unchanged, whose links and results the manifest remembers. Those are
    checked again only when the site's set of files or a rebuilt page's ids changed (a link of an
    untouched page may point at a post just deleted, or at a heading just renamed).

    Each checked page's links and results are noted in the `outputs` ledger, with the site's shape."""
    from ..base.hashing import digest
    from .link_marks import mark_page

    scans = {r.post.out_path: r.scan for r in results if r.finished}
    manifest = outputs.manifest
    old, by_rel = manifest.entries, {p.out_path: p for p in posts}
    # The post each scanned page came from (two posts at one URL are an error of their own; their
    # pages' link problems must still be told against the post whose page was scanned).
    by_rel.update({r.post.out_path: r.post for r in results if r.finished})
    shape = outputs.shape = digest(*sorted(outputs.names()))
    ids_of = {rel: digest(*sorted(s.ids)) for rel, s in scans.items()}
    recheck = shape != manifest.shape or any(ids_of[rel] != old.get(rel, {}).get("ids") for rel in scans)
    skipped = {rel for rel in outputs.kept if rel in by_rel}
    # `unreadable`: pages this build does not write (a post with errors, reported once, as itself)
    # that links may still point at: no false second problem in the post that links there.
    index = SiteIndex(outputs.names() | set(unreadable),
                      _IdsOnDisk({rel: s.ids for rel, s in scans.items()}, skipped, out_dir), content, baseurl)
    for rel in list(scans) + sorted(skipped):
        entry = old.get(rel, {})
        if rel in scans:
            scan = scans[rel]
            found = {"links": scan.links, "images": [list(i) for i in scan.images], "ids": ids_of[rel]}
        elif recheck and "links" in entry:
            found = {k: entry[k] for k in ("links", "images", "ids")}
            scan = PageScan(set(), list(entry["links"]), [tuple(i) for i in entry["images"]])
        else:  # nothing it could point at has changed: its last results stand
            diag.extend([Diagnostic(**d) for d in entry.get("link_diagnostics", [])])
            continue
        own, marks = Diagnostics(), {}
        check_post(by_rel[rel], scan, index, own, marks)
        diag.extend(own)
        outputs.note(rel, **found, link_diagnostics=[d.to_json() for d in own.items], marks=marks)
        mark_page(rel, marks, entry, outputs, out_dir)
