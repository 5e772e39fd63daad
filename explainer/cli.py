"""Command line: `explainer build | serve | new | check`.

The one place that turns exceptions into messages and exit codes: 0 success, 1 content errors
(every one printed as `path:line:col: error: message`), 2 usage or environment problems.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import ContentError, ExplainerError


def _add_build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content/)")
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site/)")
    p.add_argument("--base-url", dest="base_url", default=None,
                   help="URL the site is served from, e.g. https://me.github.io/blog")
    p.add_argument("--drafts", action="store_true", help="include posts with `published: false`")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--device", choices=["cpu", "gpu"], default=None,
                   help="where to train models (default: a GPU when JAX sees one)")
    p.add_argument("--cache-dir", dest="cache_dir", type=Path, default=Path(".cache"),
                   help="trained models, rendered math and build state (default: .cache/)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("-v", "--verbose", action="store_true", help="print every warning and stage timings")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explainer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    _add_build_args(sub.add_parser("build", help="build the site into site/"))
    return parser


def cmd_build(args) -> int:
    from .pipeline import BuildOptions, build
    from .report import print_report

    opts = BuildOptions(content=args.content, out=args.out, base_url=args.base_url, drafts=args.drafts,
                        strict=args.strict, device=args.device, cache_dir=args.cache_dir, jobs=args.jobs)
    if not args.content.is_dir():
        raise ExplainerError(f"content folder {args.content}/ not found; run from your site's folder "
                             "or pass --content DIR")
    start = time.perf_counter()
    log = (lambda line: None) if args.quiet else (lambda line: print(line, file=sys.stderr))
    report = build(opts, log=log)
    print_report(report, time.perf_counter() - start, opts, quiet=args.quiet, verbose=args.verbose)
    return 0


COMMANDS = {"build": cmd_build}


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ContentError as e:
        for d in e.diagnostics:
            print(d, file=sys.stderr)
        n = sum(d.severity == "error" for d in e.diagnostics)
        print(f"build failed: {n} error{'s' if n != 1 else ''}; site/ was left as it was",
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
