"""MathJax 3 running inside Python: TeX in, SVG markup out, no Node and no browser.

mini-racer embeds V8. We evaluate MathJax's own component files, as shipped in the installed
django-static-mathjax package (MathJax 3.2.2, `es5/`), into one V8 context and call
`MathJax.tex2svg` on a liteDOM (MathJax's DOM for environments without one). Nothing is ever
fetched: MathJax's loader is stubbed so any attempt to load a file at run time throws.

One engine per process (`shared_engine()`), started only when a page has math that is not cached.
The engine keeps page state (equation numbers, labels, `\\newcommand`s), so a page is typeset in
one call, `render_page()`, which crosses into V8 once (the JavaScript is in mathjax_glue.py). The
engine also keeps what it learned across pages: the glyph shapes (`glyphs`, from which each page's
shared `<defs>` is assembled) and the formulas proven context-free (`memo`, math_memo.py).
"""

from __future__ import annotations

import atexit
import functools
import importlib.resources
import importlib.util
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .math_memo import FormulaMemo
from .mathjax_glue import GLUE, HOLD_BACK_STARTUP
from .tex_require import required

# The components we evaluate, in order. startup must come first (components register with
# MathJax.startup only if it exists); core before liteDOM (liteDOM replaces core's adaptor).
# tex-full holds every TeX package; which ones are active is chosen by TEX_PACKAGES below.
COMPONENTS = ("startup", "core", "adaptors/liteDOM", "input/tex-full", "output/svg",
              "output/svg/fonts/tex", "a11y/assistive-mml")

# al-folio loads MathJax with `autoload`, which makes nearly every package available on first use.
# We enable the same set up front. Left out on purpose: `noerrors` and `noundefined` (they would
# turn TeX errors into red text instead of build errors), `autoload` (no run-time loading),
# `physics` and `textmacros` (not in al-folio's autoload list; they change existing macros) and
# `colorv2` (clashes with `color`); a formula can still switch those on with `\require{…}`
# (tex_require.py), which finds every extension already in the context. Order matters: mathtools
# extends ams and newcommand.
TEX_PACKAGES = ("base", "ams", "newcommand", "configmacros", "action", "amscd", "bbox", "boldsymbol",
                "braket", "bussproofs", "cancel", "cases", "centernot", "color", "colortbl", "empheq",
                "enclose", "extpfeil", "gensymb", "html", "mathtools", "mhchem", "upgreek", "unicode",
                "verb", "require")

# The article body is 18px of the system sans-serif stack. Its ex-height, measured once in
# Chromium (Debian build, headless; a 100ex-tall box was 951 px tall): 9.51 px. MathJax sizes
# inline math in ex units, so inline formulas scale with the surrounding text anyway; but numbered
# equations are emitted 100% wide and bake in px-per-em = ex / 0.442, so the right number matters.
EM_PX = 18.0
EX_PX = 9.51
# Distill's l-body column is 704 px wide; MathJax uses it for percentage widths in tagged equations.
CONTAINER_WIDTH_PX = 704

# CSS for the markup tex2svg produces. MathJax generates an equivalent sheet at run time
# (`MathJax.svgStylesheet()`), but asking for it would start V8 on every build; these rules say the
# same for the static output, and a test checks them against MathJax's own selectors. Left out:
# the rules for tooltips, toggles and the status line, which need MathJax's JavaScript.
SVG_STYLESHEET = """\
mjx-container[jax="SVG"] { direction: ltr; }
mjx-container[jax="SVG"] > svg { overflow: visible; min-height: 1px; min-width: 1px; }
mjx-container[jax="SVG"] > svg a { fill: currentColor; stroke: currentColor; }
mjx-container[jax="SVG"][display="true"] { display: block; text-align: center; margin: 1em 0; }
mjx-container[jax="SVG"][display="true"][width="full"] { display: flex; }
mjx-container[jax="SVG"][justify="left"] { text-align: left; }
mjx-container[jax="SVG"][justify="right"] { text-align: right; }
/* Glyph outlines get a hairline stroke so thin strokes do not vanish at small sizes. */
mjx-container[jax="SVG"] path[data-c], mjx-container[jax="SVG"] use[data-c] { stroke-width: 3; }
/* Table rules and frames (array, \\hline, \\boxed): widths in MathJax's 1/1000 em units. */
g[data-mml-node="mtable"] > line[data-line], svg[data-table] > g > line[data-line],
g[data-mml-node="mtable"] > rect[data-frame], svg[data-table] > g > rect[data-frame] { stroke-width: 70px; fill: none; }
g[data-mml-node="mtable"] > .mjx-dashed, svg[data-table] > g > .mjx-dashed { stroke-dasharray: 140; }
g[data-mml-node="mtable"] > .mjx-dotted, svg[data-table] > g > .mjx-dotted { stroke-linecap: round; stroke-dasharray: 0,140; }
g[data-mml-node="mtable"] > g > svg { overflow: visible; }
g[data-mml-node="merror"] > g { fill: red; stroke: red; }
g[data-mml-node="merror"] > rect[data-background] { fill: yellow; stroke: none; }
foreignObject[data-mjx-xml] { font-family: initial; line-height: normal; overflow: visible; }
/* The MathML copy for screen readers: present for assistive technology, invisible on screen. */
mjx-assistive-mml { position: absolute !important; top: 0; left: 0; clip: rect(1px, 1px, 1px, 1px);
  padding: 1px 0 0 0 !important; border: 0 !important; display: block !important; width: auto !important;
  overflow: hidden !important; -webkit-user-select: none; user-select: none; }
mjx-assistive-mml[display="block"] { width: 100% !important; }
"""


@functools.cache
def mathjax_version() -> str:
    """Version of the installed MathJax files, read without starting V8 (it goes into cache keys).
    Taken from the name of the package's dist-info folder beside it when there is exactly one:
    importlib.metadata finds the same folder but costs a fresh process ~8 ms to import."""
    spec = importlib.util.find_spec("mathjax")
    if spec is not None and spec.origin:
        found = list(Path(spec.origin).parent.parent.glob("django_static_mathjax-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len("django_static_mathjax-"):-len(".dist-info")]
    from importlib.metadata import version
    return version("django-static-mathjax")


def es5_dir():
    return importlib.resources.files("mathjax") / "static" / "mathjax" / "es5"


def engine_options() -> dict:
    """Everything besides the TeX that changes the output; part of every cache key."""
    return {"em": EM_PX, "ex": EX_PX, "width": CONTAINER_WIDTH_PX, "packages": TEX_PACKAGES,
            "components": COMPONENTS, "fontCache": "global", "tags": "ams", "assistive": True}


@dataclass(frozen=True)
class Rendered:
    html: str = ""  # <mjx-container>…</mjx-container>, '' on error
    error: str = ""  # MathJax's message, e.g. "Missing argument for \\frac"
    error_id: str = ""  # MathJax's error id, e.g. "MissingArgFor"
    unresolved_ref: bool = False  # an \eqref/\ref named a label not (yet) defined
    counter_before: int = 0  # the page's equation counter before this formula
    glyphs: tuple[str, ...] = ()  # ids of the glyph shapes it uses, in first-use order
    pure: bool = False  # context-free: the same markup on any page (see math_memo.py)


@dataclass(frozen=True)
class PageRender:
    """What `render_page` returns: a page's formulas, typeset in order."""

    results: list[Rendered]
    macro_failures: list[tuple[str, str]]  # (name, MathJax's message) of each macro that failed
    defs: str  # inner markup of the page's shared glyph <defs>
    labels: dict | None  # {label: {tag, id}} when a reference stayed unresolved, else None


class TexError(Exception):
    def __init__(self, message: str, error_id: str = ""):
        super().__init__(message)
        self.error_id = error_id


# Commands whose effect outlives the page inside MathJax (texReset does not undo them): after a page
# that uses one, the next page starts in a fresh context, as after a page that \require-d a package.
_LASTING_RE = re.compile(r"\\(?:definecolor|newtagform|renewtagform|usetagform|mathtoolsset)\b")


def _new_context():
    """A V8 context. mini-racer (and the asyncio it imports) is loaded only here: a build whose math
    is all in the cache never needs it, and importing it costs a fresh process ~20 ms."""
    from py_mini_racer import MiniRacer
    return MiniRacer()


class MathJaxEngine:
    """One V8 context with MathJax's TeX input and SVG output loaded. Close it when done."""

    def __init__(self):
        self._ctx = _new_context()
        self._extended = False  # a page changed MathJax beyond what texReset undoes (\require...)
        self.glyphs: dict[str, str] = {}  # glyph id -> its <path> markup, as MathJax wrote it
        self.memo = FormulaMemo()
        try:
            self._load()
        except Exception:
            self._ctx.close()
            raise

    def _load(self) -> None:
        settings = {"packages": json.dumps(list(TEX_PACKAGES)), "em": EM_PX, "ex": EX_PX,
                    "width": CONTAINER_WIDTH_PX}
        self._ctx.eval(HOLD_BACK_STARTUP % settings)
        root = es5_dir()
        for name in COMPONENTS:
            source = (root / f"{name}.js").read_text(encoding="utf-8")
            self._ctx.eval(f"{source}\n//# sourceURL={name}.js")  # errors then name the file
        # All components are in: mark them loaded and run MathJax's startup ourselves.
        self._ctx.eval(f"MathJax.loader.preLoad({', '.join(json.dumps(n) for n in COMPONENTS)});"
                       "MathJax.startup.defaultReady();")
        self._ctx.eval(GLUE % settings)

    def _fresh_context_if_extended(self) -> None:
        """A package a page switched on stays on in MathJax, so then the context starts afresh: a
        page renders the same whichever pages came before it."""
        if self._extended:
            self._ctx.close()
            self._ctx, self._extended = _new_context(), False
            self._load()

    def _note_extensions(self, tex: str) -> None:
        if _LASTING_RE.search(tex) or any(name not in TEX_PACKAGES for name in required(tex)):
            self._extended = True

    def render_page(self, macros: dict[str, str], items: list[tuple[str, bool]],
                    resolve: bool = True) -> PageRender:
        """Typeset a page's formulas in one call into V8. Formulas the memo holds are not typeset
        while the page has defined nothing. With `resolve`, forward references are typeset again
        once the page's labels are known."""
        self._fresh_context_if_extended()
        for tex, _ in items:
            self._note_extensions(tex)
        # Besides the TeX, the macros (site.yml's and the post's) decide what a formula shows.
        context = json.dumps(sorted(macros.items()))
        keys = [(tex, display, context) for tex, display in items]
        held = [self.memo.get(key) for key in keys]  # taken now: storing this page's may evict them
        sent = [[tex, display, r is not None] for (tex, display), r in zip(items, held)]
        definitions = [[name, newcommand(name, body)] for name, body in macros.items()]
        args = ", ".join(json.dumps(a) for a in (definitions, sent, resolve))
        out = json.loads(self._ctx.eval(f"Explainer.renderPage({args})"))
        self.glyphs.update(out["glyphs"])
        results, order = [], list(out["macroGlyphs"])
        for key, memoized, raw in zip(keys, held, out["results"]):
            if raw is None:  # not typeset: the page had defined nothing so far
                r = memoized
                self.memo.hits += 1
                order += r.glyphs
            else:
                r = _rendered(raw)
                self.memo.offer(key, r)
                order += raw["first"] if "first" in raw else r.glyphs
            results.append(r)
        order += [g for raw in out["results"] if raw and "first" in raw for g in raw["glyphs"]]
        defs = "".join(self.glyphs[g] for g in dict.fromkeys(order))
        return PageRender(results, [tuple(f) for f in out["failures"]], defs, out["labels"])

    def begin_page(self, macros: dict[str, str]) -> list[tuple[str, str]]:
        """Reset page state and define `macros`, for typesetting formula by formula with `render`
        (scripts and tests); returns (name, message) for each macro that failed."""
        self._fresh_context_if_extended()
        self._ctx.eval("Explainer.beginPage()")
        failures = []
        for name, body in macros.items():
            result = self.render(newcommand(name, body), False)
            if result.error:
                failures.append((name, result.error))
        return failures

    def render(self, tex: str, display: bool, counter: int | None = None) -> Rendered:
        """Typeset one formula in the current page; `counter` replays it from an earlier number."""
        self._note_extensions(tex)
        args = ", ".join(json.dumps(a) for a in (tex, display, counter))
        raw = json.loads(self._ctx.eval(f"Explainer.render({args})"))
        return _rendered(raw)

    def tex2svg(self, tex: str, display: bool = False) -> str:
        """One formula, raising TexError with MathJax's message; for scripts and tests."""
        result = self.render(tex, display)
        if result.error:
            raise TexError(f"{result.error_id}: {result.error}", result.error_id)
        return result.html

    def labels(self) -> str:
        """The page's labels so far, as JSON: {label: {tag, id}}."""
        return self._ctx.eval("Explainer.labels()")

    def stylesheet(self) -> str:
        return self._ctx.eval("Explainer.stylesheet()")

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None


def _rendered(raw: dict) -> Rendered:
    if "error" in raw:
        return Rendered(error=raw["error"], error_id=raw["id"])
    return Rendered(html=raw["html"], unresolved_ref=bool(raw["unresolved"]),
                    counter_before=int(raw["counter"]), glyphs=tuple(raw["glyphs"]),
                    pure=bool(raw.get("pure")))


def newcommand(name: str, body: str) -> str:
    """`\\newcommand` for a configured macro; the argument count is the highest `#n` in the body."""
    name = name.lstrip("\\")
    count = max((int(n) for n in re.findall(r"#([1-9])", body)), default=0)
    args = f"[{count}]" if count else ""
    return f"\\newcommand{{\\{name}}}{args}{{{body}}}"


# One engine per process: created on first use, closed at exit (mini-racer can hang the
# interpreter at exit if a context is left open). The owner's pid is kept because a V8 context does
# not survive fork(): a worker forked from a process that had one must start its own.
_engine: dict = {}


def shared_engine() -> MathJaxEngine:
    if _engine.get("pid") != os.getpid():
        _engine.clear()  # inherited through fork: not ours to use or close
    if "engine" not in _engine:
        if not _engine.get("atexit"):
            atexit.register(close_engine)
        _engine.update(engine=MathJaxEngine(), pid=os.getpid(), atexit=True)
    return _engine["engine"]


def engine_running() -> bool:
    return "engine" in _engine and _engine.get("pid") == os.getpid()


def close_engine() -> None:
    engine = _engine.pop("engine", None)
    if engine is not None and _engine.get("pid") == os.getpid():
        engine.close()
