"""`\\require{…}`: the TeX extensions a formula may load, as al-folio's MathJax allows them.

al-folio loads MathJax's `tex-mml-chtml` component, whose `require` and `autoload` packages fetch
any extension MathJax ships on first use; authors put `\\require{mathtools}` in a hidden macro
preamble (`<div style="display:none">$$\\require{mathtools} \\newcommand…$$</div>`). Here every
shipped extension is already in the V8 context (tex-full holds them all), so `\\require` only
switches one on. A name MathJax does not ship (or refuses to load: its `require.allow` list) is
reported once, at its formula, and taken out of the TeX: the rest of that formula, typically the
preamble's `\\newcommand`s, still defines what the later formulas use, so one typo is one error.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import re

# MathJax's default `require.allow`: these are not loadable with \require.
_REFUSED = frozenset({"base", "all-packages", "autoload", "configmacros", "tagformat", "setoptions"})
REQUIRE_RE = re.compile(r"\\require\s*\{\s*([^{}]*?)\s*\}")


@functools.cache
def shipped_extensions() -> tuple[str, ...]:
    """Names `\\require` accepts: the TeX extensions in the installed MathJax, less the refused."""
    # The es5 folder mathjax_engine evaluates (named here, not imported: the engine imports us).
    es5 = importlib.resources.files("mathjax") / "static" / "mathjax" / "es5"
    folder = es5 / "input" / "tex" / "extensions"
    names = (entry.name[:-3] for entry in folder.iterdir() if entry.name.endswith(".js"))
    return tuple(sorted(set(names) - _REFUSED))


def required(tex: str) -> list[str]:
    """The extension names a formula requires, in order."""
    return [m.group(1) for m in REQUIRE_RE.finditer(tex)] if "\\require" in tex else []


def drop_unknown(tex: str) -> tuple[str, list[str]]:
    """-> (tex without the `\\require{x}` of names MathJax cannot load, those names)."""
    if "\\require" not in tex:
        return tex, []
    shipped = set(shipped_extensions())
    unknown = [name for name in required(tex) if name not in shipped]
    if not unknown:
        return tex, []
    return REQUIRE_RE.sub(lambda m: m.group(0) if m.group(1) in shipped else "", tex), unknown


def unknown_message(name: str, version: str) -> str:
    shipped = shipped_extensions()
    close = difflib.get_close_matches(name, shipped, n=1)
    hint = f"did you mean `{close[0]}`? " if close else ""
    return (f"`\\require{{{name}}}`: MathJax {version} has no TeX extension `{name}` that \\require can "
            f"load; {hint}the extensions are: {', '.join(shipped)}. The rest of the formula is kept")
