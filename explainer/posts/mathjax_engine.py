"""MathJax 3 running inside Python: TeX in, SVG markup out, no Node and no browser.

mini-racer embeds V8. We evaluate MathJax's own component files, as shipped in the installed
django-static-mathjax package (MathJax 3.2.2, `es5/`), into one V8 context and call
`MathJax.tex2svg` on a liteDOM (MathJax's DOM for environments without one). Nothing is ever
fetched: MathJax's loader is stubbed so any attempt to load a file at run time throws.

One engine per process (`shared_engine()`), started only when a page has math that is not cached.
The engine keeps page state (equation numbers, labels, `\\newcommand`s, the shared glyph cache),
so a page is rendered as `begin_page()` followed by `render()` of each of its formulas in order.
"""

from __future__ import annotations

import atexit
import functools
import importlib.metadata
import importlib.resources
import json
import os
import re
from dataclasses import dataclass

from py_mini_racer import MiniRacer

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


_HOLD_BACK_STARTUP = """
var MathJax = {
  loader: {
    load: [], ready: function () {},
    require: function (file) { throw new Error('MathJax tried to load ' + file + ' at run time'); },
    failed: function (error) { throw error; }
  },
  startup: {typeset: false},
  tex: {packages: %(packages)s, tags: 'ams',
        formatError: function (jax, err) { throw err; }},
  svg: {fontCache: 'global'}
};
"""

# Glue kept deliberately thin: each function returns JSON text so one eval crosses into Python once.
_GLUE = """
var Explainer = (function () {
  var adaptor = MathJax.startup.adaptor;
  var output = MathJax.startup.output;
  var tags = function () { return MathJax.startup.input[0].parseOptions.tags; };
  var texOptions = function () { return MathJax.startup.input[0].parseOptions.options; };
  var newMaps = ['new-Command', 'new-Delimiter', 'new-Environment'];
  // The parser's own handlers hold the \\newcommand maps (MapHandler.getMap names other copies).
  var getMap = function (name) { return MathJax.startup.input[0].parseOptions.handlers.retrieve(name); };
  return {
    // Forget everything a page left behind. texReset() resets numbers and labels but keeps
    // \\newcommand definitions, so their maps are cleared by hand.
    beginPage: function () {
      MathJax.texReset();
      newMaps.forEach(function (name) { var m = getMap(name); if (m) { m.map.clear(); } });
      output.clearFontCache();
      output.fontCache.nextID = 0;
      texOptions().ignoreDuplicateLabels = false;
    },
    // `counter`: the equation number to continue from, when one formula is typeset again.
    render: function (tex, display, counter) {
      var saved = tags().allCounter;
      if (counter !== null) { tags().allCounter = counter; }
      try {
        var node = MathJax.tex2svg(tex, {display: display, em: %(em)s, ex: %(ex)s,
                                         containerWidth: %(width)s});
        return JSON.stringify({html: adaptor.outerHTML(node), unresolved: tags().redo, counter: saved});
      } catch (err) {
        return JSON.stringify({error: String(err.message || err), id: String(err.id || err.name || '')});
      } finally {
        if (counter !== null) { tags().allCounter = saved; }
      }
    },
    // Forward references: once the whole page has run, every label is known. Typesetting a
    // formula again then must not count its own \\label as a duplicate.
    allowRelabel: function (yes) { texOptions().ignoreDuplicateLabels = yes; },
    labels: function () { return JSON.stringify(tags().allLabels); },
    defs: function () { return adaptor.innerHTML(output.fontCache.getCache()); },
    stylesheet: function () { return adaptor.textContent(MathJax.svgStylesheet()); }
  };
})();
"""


@functools.cache
def mathjax_version() -> str:
    """Version of the installed MathJax files, read without starting V8 (it goes into cache keys)."""
    return importlib.metadata.version("django-static-mathjax")


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


class TexError(Exception):
    def __init__(self, message: str, error_id: str = ""):
        super().__init__(message)
        self.error_id = error_id


class MathJaxEngine:
    """One V8 context with MathJax's TeX input and SVG output loaded. Close it when done."""

    def __init__(self):
        self._ctx = MiniRacer()
        self._extended = False  # a page switched on a package beyond TEX_PACKAGES (\require)
        try:
            self._load()
        except Exception:
            self._ctx.close()
            raise

    def _load(self) -> None:
        settings = {"packages": json.dumps(list(TEX_PACKAGES)), "em": EM_PX, "ex": EX_PX,
                    "width": CONTAINER_WIDTH_PX}
        self._ctx.eval(_HOLD_BACK_STARTUP % settings)
        root = es5_dir()
        for name in COMPONENTS:
            source = (root / f"{name}.js").read_text(encoding="utf-8")
            self._ctx.eval(f"{source}\n//# sourceURL={name}.js")  # errors then name the file
        # All components are in: mark them loaded and run MathJax's startup ourselves.
        self._ctx.eval(f"MathJax.loader.preLoad({', '.join(json.dumps(n) for n in COMPONENTS)});"
                       "MathJax.startup.defaultReady();")
        self._ctx.eval(_GLUE % settings)

    def begin_page(self, macros: dict[str, str]) -> list[tuple[str, str]]:
        """Reset page state and define `macros`; returns (name, message) for each macro that failed.
        A package a page switched on stays on in MathJax, so then the context starts afresh: a page
        renders the same whichever pages came before it."""
        if self._extended:
            self._ctx.close()
            self._ctx, self._extended = MiniRacer(), False
            self._load()
        self._ctx.eval("Explainer.beginPage()")
        failures = []
        for name, body in macros.items():
            result = self.render(newcommand(name, body), False)
            if result.error:
                failures.append((name, result.error))
        return failures

    def render(self, tex: str, display: bool, counter: int | None = None) -> Rendered:
        """Typeset one formula in the current page; `counter` replays it from an earlier number."""
        args = ", ".join(json.dumps(a) for a in (tex, display, counter))
        if any(name not in TEX_PACKAGES for name in required(tex)):
            self._extended = True
        out = json.loads(self._ctx.eval(f"Explainer.render({args})"))
        if out.get("error") == "MathJax retry":
            # The first \require of a package with preprocessors asks MathJax to start the formula
            # over (it would load files; here they are in already): typeset it once more.
            out = json.loads(self._ctx.eval(f"Explainer.render({args})"))
        if "error" in out:
            return Rendered(error=out["error"], error_id=out["id"])
        return Rendered(html=out["html"], unresolved_ref=bool(out["unresolved"]),
                        counter_before=int(out["counter"]))

    def rerender_with_all_labels(self, tex: str, display: bool, counter: int) -> Rendered:
        """Typeset a formula again after the whole page ran, so forward `\\eqref`s resolve."""
        self._ctx.eval("Explainer.allowRelabel(true)")
        try:
            return self.render(tex, display, counter)
        finally:
            self._ctx.eval("Explainer.allowRelabel(false)")

    def tex2svg(self, tex: str, display: bool = False) -> str:
        """One formula, raising TexError with MathJax's message; for scripts and tests."""
        result = self.render(tex, display)
        if result.error:
            raise TexError(f"{result.error_id}: {result.error}", result.error_id)
        return result.html

    def labels(self) -> str:
        """The page's labels so far, as JSON: {label: {tag, id}}."""
        return self._ctx.eval("Explainer.labels()")

    def defs(self) -> str:
        """Inner markup of the page's shared glyph `<defs>` (fontCache 'global')."""
        return self._ctx.eval("Explainer.defs()")

    def stylesheet(self) -> str:
        return self._ctx.eval("Explainer.stylesheet()")

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None


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
