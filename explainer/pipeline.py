"""build(): content/ -> site/. Reads like a table of contents of the stages.

    read site.yml and posts ─► page keys ─► parse + math (+ layout) in worker processes
      ─► train or load experiments ─► figures into their pages ─► index, feed, sitemap, 404
      ─► stop here on any content error ─► write what changed, atomically

A build with errors publishes nothing and the last good site stays (MkDocs' rule). Each page is
written into the spare tree beside the site as soon as it is laid out, not held until the end, and
the spare is swapped in only when the whole build succeeded (site/output.py). A page whose inputs
have not changed since the last build is not even parsed.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .base.config import SiteConfig, load_site_config
from .base.errors import ContentError, Diagnostic, Diagnostics
from .base.hashing import digest, tree_fingerprint
from .posts.collect import collect_posts
from .posts.read import Post
from .site.assets import collect_assets, unused_assets
from .site.content_files import check_content_tree, content_files, figure_data_paths
from .site.output import Manifest, Outputs, commit
from .site.page_pool import run_pages
from .site.pages import PageContext, PageJob, PageResult, store_page
from .site.trainers import Trainer

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class BuildOptions:
    content: Path = Path("content")
    out: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    device: str | None = None  # "cpu" forces the CPU for training
    cache_dir: Path = Path(".cache")
    jobs: int | None = None  # worker processes for parsing; None = one per core
    extra_head: str = ""  # preview server: its reload script
    check_only: bool = False  # `explainer check`: every content check, no training, nothing written
    save_post_memo: bool = True  # keep read posts for the next process (the preview server saves at exit)
    trainer: Trainer | None = field(default=None, compare=False)  # None: train here (site/trainers.py)
    tracebacks: bool = False  # `-v`: an author's failing model or loader also shows its traceback
    one_shot: bool = False  # the process ends with this build (the CLI): see _build


@dataclass
class BuildReport:
    pages_rendered: int = 0
    pages_skipped: int = 0
    files: dict = field(default_factory=dict)
    experiments: list = field(default_factory=list)
    formulas: int = 0
    math_typeset: int = 0  # pages whose math MathJax typeset (the others' came from the cache)
    stages: dict = field(default_factory=dict)  # stage -> seconds
    warnings: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)  # check_only: every Diagnostic found
    figure_experiments: list = field(default_factory=list)  # check_only: every experiment a figure draws
    heaviest: list = field(default_factory=list)  # (bytes, path)


class _Stopwatch:
    def __init__(self, report: BuildReport):
        self.report, self.t = report, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.stages[stage] = round(self.report.stages.get(stage, 0) + now - self.t, 4)
        self.t = now


def build(opts: BuildOptions, log=print, progress=None) -> BuildReport:
    """`progress(stage, done, total)`, when given, is told how the page stage advances."""
    if opts.check_only:  # writes nothing, so it needs no lock
        return _build(opts, log, progress)
    from .site.atomic_site import recover
    from .site.build_lock import build_lock
    with build_lock(opts.out, opts.cache_dir, log):  # one build at a time per site and per cache
        for line in recover(opts.out):  # what a killed build left behind
            log(line)
        return _build(opts, log, progress)


def _build(opts: BuildOptions, log, progress) -> BuildReport:
    report, diag = BuildReport(), Diagnostics()
    clock = _Stopwatch(report)
    site = load_site_config(opts.content / "site.yml", diag)
    if opts.base_url is not None:
        site = site.with_base_url(opts.base_url)
    save_memo = opts.save_post_memo and not opts.check_only  # `check` writes nothing
    posts, unreadable = collect_posts(opts.content, opts.cache_dir, diag, drafts=opts.drafts, save=save_memo,
                                      log=log, lean=opts.one_shot)
    if opts.one_shot:
        # What exists now (modules, the posts) lives until the process ends: leave it out of the
        # garbage collector's scans, which otherwise cost a one-post rebuild of a 1000-post site
        # ~17 ms (the CLI collects nothing before this point). Not in the preview server, whose
        # old builds' objects must stay collectable.
        gc.freeze()
        gc.enable()
    bibs = _check_post_meta(posts, site, opts, diag)
    # No stop here: the posts that could be read are parsed too, so one build lists every problem.
    clock.lap("read")

    # From the asset record when nothing they are made from changed (`check` writes no record)
    assets, asset_files = collect_assets(site, opts.cache_dir, save=not opts.check_only, lean=opts.one_shot)
    ctx = PageContext(site=site, assets=assets, cache_dir=opts.cache_dir.resolve(),
                      extra_head=opts.extra_head)
    outputs = Outputs(Manifest(opts.cache_dir / "manifest.json", opts.out))
    if outputs.manifest.problem and not opts.check_only:
        log(outputs.manifest.problem)
    fingerprint = _build_fingerprint(site, assets, opts)
    jobs = _plan_pages(posts, bibs, fingerprint, None if opts.check_only else outputs, opts)
    report.pages_skipped = len(posts) - len(jobs)
    for rel in outputs.kept:  # a skipped page's warnings are still the author's to see
        diag.extend([Diagnostic(**d) for d in outputs.manifest.entries[rel].get("diagnostics", [])])
    clock.lap("plan")

    try:
        return _build_pages(_Build(opts, site, posts, unreadable, ctx, fingerprint, outputs, report, diag),
                            jobs, asset_files, clock, progress, log)
    except BaseException:
        outputs.abandon()  # what went into the spare is never published
        raise


@dataclass
class _Build:
    """What the stages from parsing on share."""
    opts: BuildOptions
    site: SiteConfig
    posts: list[Post]
    unreadable: set
    ctx: PageContext
    fingerprint: str
    outputs: Outputs
    report: BuildReport
    diag: Diagnostics


def _build_pages(b: _Build, jobs: list[PageJob], asset_files: dict, clock: _Stopwatch, progress,
                 log) -> BuildReport:
    """The stages from parsing on. Each page is written into the spare the moment it is laid out
    (pages.store_page); what is kept of it is its scan for the link checks and its notes."""
    opts, site, outputs, report, diag = b.opts, b.site, b.outputs, b.report, b.diag
    results = run_pages(jobs, b.ctx, opts.jobs, progress, None if opts.check_only else outputs)
    for r in results:
        diag.extend(r.diagnostics)
        report.formulas += r.stats.get("formulas", 0)
        report.math_typeset += r.stats.get("math_typeset", 0)
    clock.lap("parse")
    include = [str(i) for i in site.extra.get("include") or []] if isinstance(site.extra.get("include"), list) else []
    if opts.check_only:
        check_content_tree(opts.content, include, diag)
        from .site.links import check_site_links
        report.figure_experiments = list(dict.fromkeys(
            c for r in results if r.pending for spec in r.pending.figures for c in spec.experiments))
        check_site_links(results, b.ctx, opts.content, diag, b.unreadable)  # links, anchors, images, alt text
        report.diagnostics = diag.items
        return report
    pending = [r for r in results if r.pending]
    if pending and not _failing(diag, opts):  # never train for a build that cannot be written
        from .site.figure_pages import render_figures

        def store(r: PageResult) -> None:
            store_page(r, outputs.put, b.ctx.assets)
            r.pending = None
        report.experiments = render_figures(pending, b.ctx, opts, diag, outputs, log, done=store)
    clock.lap("figures")

    for r in results:
        if r.finished:  # else figures not drawn: the build is failing anyway
            outputs.note(r.post.out_path, diagnostics=[d.to_json() for d in r.diagnostics], uses=r.uses)
    report.pages_rendered = len(results)
    from .site.sharing import keep_chart_previews
    keep_chart_previews({r.post.out_path for r in results if r.finished}, outputs)  # link-preview pictures
    _site_pages(b.posts, b.ctx, b.fingerprint, outputs)
    unused = unused_assets(outputs, b.ctx.assets)  # plotly.js and live.js only where a page loads them
    for rel, (data, key) in asset_files.items():
        if rel not in unused:
            outputs.add_unless_fresh(rel, key, data)
    content_files(opts.content, include, figure_data_paths(b.posts), outputs, diag)
    from .site.links import check_built_links
    # Every post exists for links, also one whose figures were not drawn because the build fails.
    exists = b.unreadable | {p.out_path for p in b.posts}
    check_built_links(results, b.posts, outputs, opts.out, opts.content, site.baseurl, diag, exists)
    _fail_on_errors(diag, opts)
    clock.lap("layout")

    report.files = commit(opts.out, outputs)
    from .site.feed_content import prune
    prune(b.ctx.cache_dir, {p.out_path: key for p in b.posts if (key := _published_key(p.out_path, outputs))})
    report.warnings = [str(d) for d in diag.warnings]
    report.heaviest = sorted(((w.size, rel) for rel, w in outputs.files.items() if rel.endswith(".html")),
                             reverse=True)[:5]
    clock.lap("write")
    return report


def _failing(diag: Diagnostics, opts: BuildOptions) -> bool:
    return bool(diag.errors or (opts.strict and diag.warnings))


def _fail_on_errors(diag: Diagnostics, opts: BuildOptions) -> None:
    """Stop with every problem found so far; warnings ride along so the author sees them too."""
    if opts.strict and diag.warnings:
        raise ContentError(diag.errors + [_as_error(d) for d in diag.warnings])
    if diag.errors:
        raise ContentError(diag.warnings + diag.errors)


def _as_error(d):
    import dataclasses
    return dataclasses.replace(d, severity="error")


def bibliography_for(post: Post, content: Path, diag: Diagnostics | None,
                     checked: dict | None = None) -> Path | None:
    """The post's `bibliography:` in content/bibliography/, else the .bib named after the post.
    `checked`: where a named file was found (or not) for earlier posts of this build: posts share
    a few .bib files, and each look costs three system calls."""
    bib_dir = content / "bibliography"
    name = post.facts.bibliography
    if name:
        found = checked.get(name) if checked is not None else None
        if found is None:
            path = bib_dir / name
            outside = _may_leave(name, path) and not path.resolve().is_relative_to(content.resolve())
            found = ("outside" if outside else "file" if path.is_file() else "missing", path)
            if checked is not None:
                checked[name] = found
        state, path = found
        if state == "outside":
            if diag is not None:
                diag.error(post.path, post.key_line("bibliography"), f"bibliography {name!r} is outside "
                           "content/; name a file in content/bibliography/", col=1)
            return None
        if state == "file":
            return path
        if diag is not None:
            have = sorted(p.name for p in bib_dir.glob("*.bib")) if bib_dir.is_dir() else []
            # A warning, as al-folio publishes the post (Distill shows its citations as [?]).
            diag.warn(post.path, post.key_line("bibliography"),
                      f"bibliography file {name!r} not found in {bib_dir}/"
                      + (f"; files there: {', '.join(have)}" if have else "; add the .bib file there"))
        return None
    path = bib_dir / f"{post.path.stem}.bib"
    if path.is_file():
        if diag is not None and post.cites:
            diag.warn(post.path, 1, f"the post cites but names no `bibliography:`; using {path.name} "
                      f"(add `bibliography: {path.name}` to the front matter to say so)")
        return path
    return None


def _may_leave(name: str, path: Path) -> bool:
    """Only a name with a folder in it (`..`, absolute, `sub/x.bib`) or a symlink can lead out of
    content/ (resolving every post's .bib path would cost a 1000-post build half a second)."""
    return "/" in name or "\\" in name or path.is_symlink() or path.parent.is_symlink()


def _check_post_meta(posts: list[Post], site: SiteConfig, opts: BuildOptions,
                     diag: Diagnostics) -> dict[Path, Path | None]:
    """Problems of front matter that involve other files; returns each post's bibliography."""
    bibs = {}
    checked: dict[str, tuple] = {}  # bibliography name -> (where it was found, its path): bibliography_for
    seen: dict[str, Post] = {}
    for post in posts:
        other = seen.get(post.url_path)
        if other is not None:
            diag.error(post.path, 1, f"this post and {other.path} both publish at {post.url_path}; "
                       "rename one of the files")
        seen[post.url_path] = post
        if post.facts.giscus_comments and not site.giscus:
            diag.warn(post.path, post.key_line("giscus_comments"),
                      "`giscus_comments: true` but site.yml has no `giscus:` settings (repo, repo_id, "
                      "category, category_id); no comments widget is shown")
        bibs[post.path] = bibliography_for(post, opts.content, diag, checked)
    return bibs


def _build_fingerprint(site: SiteConfig, assets: dict, opts: BuildOptions) -> str:
    """Everything besides the post itself that a page depends on."""
    code = tree_fingerprint(str(PACKAGE_DIR), (".py", ".html", ".xml", ".css", ".js"))
    return digest(__version__, code, repr(site), sorted(assets.items()), opts.extra_head)


def _plan_pages(posts, bibs, fingerprint, outputs: Outputs | None, opts: BuildOptions) -> list[PageJob]:
    """A job for each page whose inputs changed; the others are kept in `outputs` as they are."""
    jobs, bib_digest_of = [], {}
    for post in posts:
        bib = bibs[post.path]
        if bib not in bib_digest_of:  # posts often share one .bib
            bib_digest_of[bib] = digest(bib.read_bytes() if bib else b"")
        # the text by its digest: an unchanged post's text is not even read (posts/post_memo.py)
        key = digest(fingerprint, post.source_digest, str(post.path), bib_digest_of[bib])
        if outputs is not None and _reusable(post.out_path, key, outputs, opts):
            outputs.keep(post.out_path, key)
        else:
            jobs.append(PageJob(post=post, key=key, bib_path=bib))
    return jobs


def _reusable(rel: str, key: str, outputs: Outputs, opts: BuildOptions) -> bool:
    """The last build wrote `rel` from `key`, and a page with figures also drew them from the
    experiments that would be drawn now (same training keys: same code, data and settings), with
    its figure files still there. Then the page and its figure files are kept, not even parsed."""
    manifest = outputs.manifest
    if not manifest.fresh(rel, key):
        return False
    entry = manifest.entries[rel]
    figure_files = entry.get("figure_files", [])
    if entry.get("experiments"):
        from .models.cache import experiment_key
        from .models.experiments import ExperimentConfig
        try:
            for config, trained_key in entry["experiments"]:
                config = ExperimentConfig.from_dict(config)
                if experiment_key(config, opts.content, opts.cache_dir / "models") != trained_key:
                    return False
        except Exception:  # an unreadable config or data file: rebuild, and the rebuild says why
            return False
    if not all(manifest.fresh(f, manifest.entries.get(f, {}).get("key", "")) for f in figure_files):
        return False
    for f in figure_files:
        outputs.keep(f, manifest.entries[f]["key"])
    return True


SITE_PAGES = ("index.html", "feed.xml", "sitemap.xml", "404.html")
FEED_PATH = "feed.xml"  # as site.layout.FEED_PATH, which the templates link to


def _site_pages(posts: list[Post], ctx: PageContext, fingerprint: str, outputs: Outputs) -> None:
    """Index, sitemap and 404 depend only on the posts' front matter: an edit to a post's body
    leaves them as they are (this matters for a 1000-post site in the preview server). The feed
    also depends on the text of its newest posts."""
    from .site.pages import renderer_for
    from .site.thumbnails import post_thumbnails
    thumbnails = post_thumbnails(posts, outputs)
    key = digest(fingerprint, *[(p.out_path, p.meta_digest) for p in posts], sorted(thumbnails.items()))
    _feed(posts, ctx, key, outputs)
    if all(outputs.manifest.fresh(rel, key) for rel in SITE_PAGES if rel != FEED_PATH):
        for rel in SITE_PAGES:
            if rel != FEED_PATH:
                outputs.keep(rel, key)
        return
    r = renderer_for(ctx)
    pages = (r.index_page(posts, thumbnails), r.sitemap_xml(posts), r.not_found_page())
    for rel, text in zip(("index.html", "sitemap.xml", "404.html"), pages):
        outputs.add(rel, text.encode("utf-8"), key)


def _published_key(rel: str, outputs: Outputs) -> str | None:
    """What the page this build publishes at `rel` is built from (new, or kept from the last build)."""
    if rel in outputs.files:
        return outputs.files[rel].key
    return outputs.kept.get(rel)


def _feed(posts: list[Post], ctx: PageContext, key: str, outputs: Outputs) -> None:
    """The Atom feed carries the newest posts in full: its key covers their text as well."""
    from .site import feed_content
    from .site.pages import renderer_for
    newest = feed_content.feed_posts(posts)
    contents = {p.out_path: feed_content.load(ctx.cache_dir, p.out_path, _published_key(p.out_path, outputs))
                for p in newest}
    feed_key = digest(key, *[(rel, digest(text or "")) for rel, text in contents.items()])
    if outputs.manifest.fresh(FEED_PATH, feed_key):
        outputs.keep(FEED_PATH, feed_key)
    else:
        outputs.add(FEED_PATH, renderer_for(ctx).feed_xml(posts, contents).encode("utf-8"), feed_key)
