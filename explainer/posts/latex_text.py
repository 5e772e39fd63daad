"""LaTeX inside BibTeX fields -> plain Unicode text.

A hover card must show "Jürgen", not `J{\\"u}rgen`: accents, symbols, font switches and simple math
are decoded; latexcodec (a pybtex dependency) supplies the long tail of symbol names.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

import latexcodec  # noqa: F401  (registers the "ulatex" codec used by `_symbol`)

_TOKEN = re.compile(r"\\[A-Za-z]+\s*|\\.|\$\$?|---?|``|''|\s+|[^\\{}$~\-`'\s^_]+|.", re.S)
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
            "d": "\u0323", "b": "\u0331", "r": "\u030a", "t": "\u0361"}
_KEEP_ARG = {"textit", "textbf", "emph", "textsc", "texttt", "textrm", "textsf", "textsl", "textup",
             "textmd", "textnormal", "mbox", "hbox", "text", "mathrm", "mathit", "mathbf", "mathsf",
             "mathtt", "mathcal", "mathbb", "mathfrak", "mathscr", "boldsymbol", "bm", "operatorname",
             "ensuremath", "underline", "MakeUppercase", "MakeLowercase", "NoCaseChange"}
_DROP_ARG = {"noopsort", "label", "ref", "cite", "footnote", "hspace", "vspace"}
_SWITCHES = {"em", "it", "bf", "sc", "rm", "tt", "sl", "sf", "up", "md", "normalfont", "itshape",
             "bfseries", "scshape", "upshape", "relax", "protect", "left", "right", "displaystyle"}
_NAMED = {"LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "dots": "…", "ldots": "…",
          "textquoteright": "’", "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”"}
_MATH_OPS = {"log", "exp", "sin", "cos", "tan", "max", "min", "arg", "lim", "det", "Pr", "sup", "inf"}
_SUPER = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"))
_SUB = dict(zip("0123456789+-=()aeoxijkn", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖₙ"))
_TEXT_TOKENS = {"---": "—", "--": "–", "``": "“", "''": "”", "~": " "}


@functools.lru_cache(maxsize=1024)
def _symbol(name: str, math: bool) -> str:
    """A named symbol (`\\ss`, `\\alpha`) as Unicode, or "" when latexcodec does not know it."""
    tex = f"${chr(92)}{name}$" if math else f"{chr(92)}{name}"
    try:
        out = codecs.decode(tex, "ulatex")
    except ValueError:  # UnicodeDecodeError: a token latexcodec cannot read
        return ""
    return "" if "\\" in out or "$" in out else out


def _accent(base: str, mark: str) -> str:
    if not base:
        return ""
    first = {"ı": "i", "ȷ": "j"}.get(base[0], base[0])  # `\'{\i}` means í
    return unicodedata.normalize("NFC", first + mark) + base[1:]


class LatexParser:
    """Reads the LaTeX of one field value: enough to print titles, names and venues as text."""

    def __init__(self, src: str):
        self.src, self.pos = src, 0

    def _next(self) -> str | None:
        if self.pos >= len(self.src):
            return None
        tok = _TOKEN.match(self.src, self.pos).group(0)
        self.pos += len(tok)
        return tok

    def read(self, math: bool = False, closer: str | None = None) -> str:
        out = []
        while (tok := self._next()) is not None:
            if tok == closer:
                break
            out.append(self._token(tok, math))
        return "".join(out)

    def argument(self, math: bool = False) -> str:
        while self.pos < len(self.src) and self.src[self.pos].isspace():
            self.pos += 1
        tok = self._next()
        if tok is None or tok == "}":
            return ""
        if tok == "{":
            return self.read(math, "}")
        if not tok.startswith("\\") and len(tok) > 1:  # an argument without braces is one character
            self.pos -= len(tok) - 1
            tok = tok[0]
        return self._token(tok, math)

    def raw_argument(self) -> str:
        """A URL argument: braces matched, nothing decoded but escaped characters."""
        start, depth = self.pos, 0
        while self.pos < len(self.src):
            ch = self.src[self.pos]
            self.pos += 1
            depth += (ch == "{") - (ch == "}")
            if depth == 0:
                break
        return re.sub(r"\\([_%&#~$])", r"\1", self.src[start:self.pos].strip()[1:-1])

    def _token(self, tok: str, math: bool) -> str:
        if tok == "{":
            return self.read(math, "}")
        if tok == "}":
            return ""  # unbalanced close brace: pybtex already checked balance, so ignore
        if tok in ("$", "$$"):
            return self.read(True, tok) if not math else ""
        if tok.startswith("\\"):
            word = tok[1:2].isalpha()
            text = self._command(tok[1:].rstrip() if word else tok[1:], math)
            # TeX swallows the space after `\log`; a reader of "n log n" still needs it
            return text + " " if math and word and tok[-1].isspace() else text
        if math and tok in ("^", "_"):
            arg = self.argument(math=True)
            table = _SUPER if tok == "^" else _SUB
            if arg and all(c in table for c in arg):
                return "".join(table[c] for c in arg)
            return tok + (arg if len(arg) <= 1 else f"({arg})")
        if tok.isspace():
            return " "
        return tok if math else _TEXT_TOKENS.get(tok, tok)

    def _command(self, name: str, math: bool) -> str:
        if name in _ACCENTS:
            return _accent(self.argument(math), _ACCENTS[name])
        if name in _KEEP_ARG:
            return self.argument(math and not name.startswith(("text", "mbox", "hbox")))
        if name == "href":
            self.raw_argument()
            return self.argument(math)
        if name == "url":
            return self.raw_argument()
        if not name:  # a lone backslash at the end of a value
            return ""
        if name in _DROP_ARG:
            self.argument(math)
            return ""
        if name in _SWITCHES:
            return ""
        if name in _NAMED:
            return _NAMED[name]
        if len(name) == 1 and not name.isalpha():
            return {"\\": " ", " ": " ", ",": " ", ";": " ", ":": " ", "!": "", "-": "", "/": "",
                    "@": ""}.get(name, name)
        if math and name in _MATH_OPS:
            return name
        return _symbol(name, math) or _symbol(name, not math)


@functools.lru_cache(maxsize=4096)  # names and venues repeat across entries
def latex_to_text(value: str) -> str:
    """`{\\L}ukasz J{\\"u}rgen \\textit{x} --- $\\alpha$` -> `Łukasz Jürgen x — α`."""
    text = LatexParser(value).read()
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text)).strip()


# --- parsing ---------------------------------------------------------------------------------

# pybtex.errors.capture() swaps a module global; pages built in threads must not interleave it
