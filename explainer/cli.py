"""Command line: `explainer build | serve | new | check | freeze`.

The one place that turns exceptions into messages and exit codes: 0 success, 1 content errors
(every one printed as `path:line:col: error: message`), 2 usage or environment problems.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from .base.errors import ContentError, ExplainerError


def _add_source_args(p: argparse.ArgumentParser) -> None:
    """What to read: shared by build, serve and check."""
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content/)")
    p.add_argument("--base-url", dest="base_url", default=None,
                   help="URL the site is served from, e.g. https://me.github.io/blog")
    p.add_argument("--drafts", action="store_true", help="include posts with `published: false`")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--cache-dir", dest="cache_dir", type=Path, default=Path(".cache"),
                   help="trained models, rendered math and build state (default: .cache/)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: one per core)")


def _add_build_args(p: argparse.ArgumentParser) -> None:
    _add_source_args(p)
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site/)")
    p.add_argument("--device", choices=["cpu", "gpu"], default=None,
                   help="where to train models (default: a GPU when JAX sees one)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("-v", "--verbose", action="store_true", help="print every warning and stage timings")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explainer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    _add_build_args(sub.add_parser("build", help="build the site into site/"))
    serve = sub.add_parser("serve", help="build, serve and rebuild on every change (live preview)")
    _add_build_args(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    new = sub.add_parser("new", help="start a post: content/posts/YYYY-MM-DD-slug.md")
    new.add_argument("title", help='the post\'s title, e.g. "How autoencoders forget"')
    new.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    new.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content/)")
    check = sub.add_parser("check", help="check the content without training or writing anything")
    _add_source_args(check)
    check.add_argument("--format", choices=["text", "json"], default="text",
                       help="text: `path:line:col: severity: message` lines; json: a list plus counts")
    freeze = sub.add_parser("freeze", help="store the trained results the figures use in content/frozen/ "
                                           "(commit it: CI and deploys then never train)")
    _add_source_args(freeze)
    freeze.add_argument("--device", choices=["cpu", "gpu"], default=None, help="where to train what is missing")
    return parser


def cmd_build(args) -> int:
    from .models import distributed

    if distributed.launch_env() is not None and distributed.process_index_from_env() != 0:
        # One of several hosts (README: "Training on several GPUs and machines"): train with process 0
        return distributed.serve_training(args.content, args.cache_dir, args.device,
                                          log=lambda line: print(line, file=sys.stderr))
    try:
        status = _build(args)
    except ExplainerError:  # content errors included: the other hosts are waiting for process 0's word
        distributed.finish(args.device)
        raise
    # Interrupted or a bug: no word, which could meet the others inside a training program; they
    # are aborted by jax's runtime when this process, which holds its coordinator, exits.
    distributed.finish(args.device)
    return status


def _build(args) -> int:
    # This process ends with the build: no garbage collection while it imports and reads the posts,
    # objects that all live to the end (the build freezes them and collects again: pipeline.py).
    gc.disable()
    from .pipeline import BuildOptions, build
    from .site.report import ProgressBar, print_report

    opts = BuildOptions(content=args.content, out=args.out, base_url=args.base_url, drafts=args.drafts,
                        strict=args.strict, device=args.device, cache_dir=args.cache_dir, jobs=args.jobs,
                        tracebacks=args.verbose,  # an author's model that fails: its traceback too
                        one_shot=True)
    if not args.content.is_dir():
        raise ExplainerError(f"content folder {args.content}/ not found; run from your site's folder "
                             "or pass --content DIR")
    start = time.perf_counter()
    log = (lambda line: None) if args.quiet else (lambda line: print(line, file=sys.stderr))
    bar = ProgressBar(enabled=not args.quiet)
    try:
        report = build(opts, log=log, progress=bar)
    finally:
        bar.clear()
    math_pages = {"typeset": report.math_typeset} if report.formulas else None
    print_report(report, time.perf_counter() - start, opts, quiet=args.quiet, verbose=args.verbose,
                 math_pages=math_pages)
    return 0


def _options(args, **extra):
    from .pipeline import BuildOptions
    if not args.content.is_dir():
        raise ExplainerError(f"content folder {args.content}/ not found; run from your site's folder "
                             "or pass --content DIR")
    keys = ("content", "out", "base_url", "drafts", "strict", "device", "cache_dir", "jobs")
    return BuildOptions(**{k: getattr(args, k) for k in keys if hasattr(args, k)}, **extra)


def cmd_serve(args) -> int:
    from .serve.server import serve
    return serve(_options(args), host=args.host, port=args.port, verbose=args.verbose)


def cmd_new(args) -> int:
    from .commands.new_post import PostExists, new_post, parse_day
    try:
        path = new_post(args.content, args.title, parse_day(args.date))
    except PostExists as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(path)
    return 0


def cmd_check(args) -> int:
    from .commands.check import format_json, format_text, run_check
    result = run_check(_options(args))
    if args.format == "json":
        print(format_json(result))
    else:
        print(format_text(result))
    return 1 if result.failed(args.strict) else 0


def cmd_freeze(args) -> int:
    from .commands.freeze import run_freeze
    counts = run_freeze(_options(args), log=lambda line: print(line, file=sys.stderr))
    print(f"froze {counts['experiments']} experiment(s) in {args.content}/frozen/: {counts['stored']} stored, "
          f"{counts['kept']} unchanged, {counts['removed']} removed")
    return 0


COMMANDS = {"build": cmd_build, "serve": cmd_serve, "new": cmd_new, "check": cmd_check, "freeze": cmd_freeze}


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ContentError as e:
        for d in e.diagnostics:
            print(d, file=sys.stderr)
        n = sum(d.severity == "error" for d in e.diagnostics)
        out = getattr(args, "out", None) or "site"
        print(f"build failed: {n} error{'s' if n != 1 else ''}; nothing was written, {out}/ is as it was",
              file=sys.stderr)
        return 1
    except ExplainerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
