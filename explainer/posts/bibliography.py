"""BibTeX files -> `Reference` records with clean text and a formatted HTML entry.

pybtex does the parsing (strings, macros, `#` concatenation, name splitting); `_Latex` below turns the
LaTeX inside field values into plain Unicode, because a hover card must show "Jürgen", not
`J{\\"u}rgen`. latexcodec (a pybtex dependency) supplies the long tail of symbol names.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec used by `_symbol`)
import pybtex.errors
from pybtex.database import Person
from pybtex.database.input import bibtex

from ..config import PostMeta
from ..errors import Diagnostic, Diagnostics


@dataclass(frozen=True)
class Reference:
    key: str
    entry_type: str
    title: str  # clean text: braces gone, LaTeX accents decoded
    authors: tuple[str, ...]  # "First Last" display names, clean text
    year: str
    venue: str  # journal / booktitle / publisher / howpublished, clean
    url: str | None  # url, or https://doi.org/DOI when only a doi is given
    html: str  # the whole entry as safe HTML, every author listed (reference list)
    bibtex: str  # the entry re-serialised as BibTeX
    card_html: str = ""  # like `html`, long author lists cut to "et al." (hover cards)


# --- LaTeX -> text -----------------------------------------------------------------------------

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
    out = codecs.decode(tex, "ulatex")
    return "" if "\\" in out or "$" in out else out


def _accent(base: str, mark: str) -> str:
    if not base:
        return ""
    first = {"ı": "i", "ȷ": "j"}.get(base[0], base[0])  # `\'{\i}` means í
    return unicodedata.normalize("NFC", first + mark) + base[1:]


class _Latex:
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


def latex_to_text(value: str) -> str:
    """`{\\L}ukasz J{\\"u}rgen \\textit{x} --- $\\alpha$` -> `Łukasz Jürgen x — α`."""
    text = _Latex(value).read()
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text)).strip()


# --- parsing ---------------------------------------------------------------------------------

_ENTRY_RE = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^\s,={}()]*)\s*([,=]?)")
_FIX = {
    "syntax": "check that each field ends with a comma, every `{` has its `}` and every quote is closed",
    "macro": "put the value in braces (`title = {…}`) or define it first with `@string{name = {…}}`",
    "name": "write each name as `First Last`, `Last, First` or `Last, Jr., First`, and join names "
            "with ` and `",
}


def _entry_lines(text: str) -> dict[str, list[int]]:
    """Lines (1-based) where each key's entries start; pybtex does not keep them."""
    lines: dict[str, list[int]] = {}
    for m in _ENTRY_RE.finditer(text):
        if m.group(1).lower() not in ("string", "preamble", "comment"):
            lines.setdefault(m.group(2).lower(), []).append(text.count("\n", 0, m.start()) + 1)
    return lines


def _line_of(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return None if at < 0 else text.count("\n", 0, at) + 1


def _report(error, text: str, lines: dict[str, list[int]], path, diag: Diagnostics) -> None:
    """One pybtex error -> one diagnostic at the line it concerns, saying how to fix it."""
    message = str(error)
    kind = type(error).__name__
    if kind == "BibliographyDataError" and message.startswith("repeated bibliography entry"):
        key = message.rsplit(":", 1)[1].strip()
        where = lines.get(key.lower(), [])
        first, again = (where + [None, None])[:2]
        diag.error(path, again or first, f"duplicate key `{key}`: first entry on line {first}, again on "
                   f"line {again}; rename or delete one (the second one is ignored)")
    elif kind == "DuplicateField":
        key = re.search(r"key (\S+)", message)
        line = (lines.get(key.group(1).lower()) or [None])[0] if key else None
        diag.error(path, line, f"{message}; keep only one of them")
    elif kind == "InvalidNameString":
        name = re.search(r"'(.*)'", message)
        line = _line_of(text, name.group(1).split(",")[0]) if name else None
        diag.error(path, line, f"{message}: {_FIX['name']}")
    elif kind == "UndefinedMacro":
        diag.error(path, getattr(error, "lineno", None), f"{message}: {_FIX['macro']}")
    else:
        problem = re.sub(r"^syntax error in line \d+: ", "", message)
        diag.error(path, getattr(error, "lineno", None), f"BibTeX syntax error: {problem}; {_FIX['syntax']}")


def _parse(text: str, path, diag: Diagnostics):
    """pybtex, with its errors collected instead of raised, so every problem is listed at once."""
    with pybtex.errors.capture() as errors:
        data = bibtex.Parser().parse_string(text)
    lines = _entry_lines(text)
    for error in errors:
        _report(error, text, lines, path, diag)
    for m in _ENTRY_RE.finditer(text):
        if m.group(1).lower() not in ("string", "preamble", "comment") and (not m.group(2) or m.group(3) == "="):
            diag.error(path, text.count("\n", 0, m.start()) + 1, f"this @{m.group(1)} entry has no key; "
                       "start it as `@article{key,` and cite it with `<d-cite key=\"key\">`")
    return data, lines


# --- records and formatting ------------------------------------------------------------------

def display_name(person: Person) -> str:
    """`von Neumann, John` -> "John von Neumann"; `{World Health Organization}` stays whole."""
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    name = latex_to_text(" ".join(parts))
    if name == "others":
        return "et al."
    lineage = latex_to_text(" ".join(person.lineage_names))
    return f"{name}, {lineage}" if lineage else name


def join_names(names: tuple[str, ...] | list[str], limit: int | None = None) -> str:
    """"A", "A and B", "A, B and C"; with `limit`, longer lists become "A, B, C et al."."""
    names = list(names)
    if limit is not None and len(names) > limit:
        names = [n for n in names[:3] if n != "et al."] + ["et al."]
    if names and names[-1] == "et al.":
        return ", ".join(names[:-1]) + " et al." if len(names) > 1 else "et al."
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _url(fields) -> str | None:
    raw = fields.get("url", "").strip()
    if raw:
        url = _Latex(raw if raw.startswith("\\url") else "\\url{" + raw + "}").read()
        return url if re.match(r"https?://", url, re.I) else None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", fields.get("doi", "").strip(), flags=re.I)
    if doi:
        return "https://doi.org/" + doi
    if fields.get("eprint") and fields.get("archiveprefix", "").lower() == "arxiv":
        return "https://arxiv.org/abs/" + fields["eprint"].strip()
    return None


def _venue(fields) -> str:
    for name in ("journal", "journaltitle", "booktitle", "publisher", "howpublished", "school",
                 "institution", "organization"):
        if fields.get(name):
            return latex_to_text(fields[name])
    if fields.get("eprint") and fields.get("archiveprefix", "").lower() == "arxiv":
        return "arXiv:" + fields["eprint"].strip()
    return ""


def _sentence(text: str) -> str:
    return text if not text or text[-1] in ".?!" else text + "."


def _entry_html(ref: Reference, fields, limit: int | None) -> str:
    """Distill's reference style: authors. title (linked). venue, volume(number), pages, year."""
    e = html.escape
    title = e(_sentence(ref.title))
    if not ref.title:
        title = ""
    elif ref.url:
        title = f'<a class="ref-title" href="{e(ref.url)}">{title}</a>'
    else:
        title = f'<span class="ref-title">{title}</span>'
    details = [f'<span class="ref-venue">{e(ref.venue)}</span>'] if ref.venue else []
    volume = latex_to_text(fields.get("volume", ""))
    number = latex_to_text(fields.get("number", ""))
    if volume:
        details.append(e(volume + (f"({number})" if number else "")))
    pages = latex_to_text(fields.get("pages", ""))
    if pages:
        details.append(e(("pp. " if "–" in pages or "," in pages else "p. ") + pages))
    if ref.year:
        details.append(f'<span class="ref-year">{e(ref.year)}</span>')
    parts = [f'<span class="ref-authors">{e(_sentence(join_names(ref.authors, limit)))}</span>'] if ref.authors else []
    parts.append(title)
    if details:
        parts.append(", ".join(details) + ".")
    return " ".join(p for p in parts if p)


def _bibtex(entry, key: str) -> str:
    lines = [f"@{entry.type}{{{key},"]
    for role, people in entry.persons.items():
        lines.append(f"  {role} = {{{' and '.join(str(p) for p in people)}}},")
    lines += [f"  {name} = {{{value}}}," for name, value in entry.fields.items()]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}"


def _reference(key: str, entry) -> Reference:
    fields = entry.fields
    date = fields.get("year") or fields.get("date", "")[:4]
    ref = Reference(
        key=key, entry_type=entry.type.lower(), title=latex_to_text(fields.get("title", "")),
        authors=tuple(display_name(p) for p in entry.persons.get("author", entry.persons.get("editor", []))),
        year=latex_to_text(date), venue=_venue(fields), url=_url(fields), html="", bibtex=_bibtex(entry, key))
    return dataclasses.replace(ref, html=_entry_html(ref, fields, None), card_html=_entry_html(ref, fields, 6))


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> tuple[tuple[Reference, ...], tuple[Diagnostic, ...]]:
    """Parse once per file version; a rebuild in `serve` reuses it until the file changes."""
    diag = Diagnostics()
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        text = raw.decode("latin-1")
        diag.warn(path, raw.count(b"\n", 0, e.start) + 1, "the file is not UTF-8; it was read as Latin-1 "
                  "(save it as UTF-8 to be sure accents come out right)")
    data, lines = _parse(text.replace("\r\n", "\n"), path, diag)
    refs = []
    for key, entry in data.entries.items():
        if re.search(r"[\s={}]", key):
            continue  # a keyless entry, already reported by `_parse`
        ref = _reference(key, entry)
        if not ref.title:
            diag.warn(path, (lines.get(key.lower()) or [None])[0], f"entry `{key}` has no `title`; "
                      "its citations will show only authors and venue")
        refs.append(ref)
    return tuple(refs), tuple(diag.items)


def load_bibliography(path: Path, diag: Diagnostics) -> dict[str, Reference]:
    """key -> Reference for one .bib file; problems go to `diag`. A missing file is the caller's to report."""
    try:
        stat = Path(path).stat()
    except OSError:
        return {}
    refs, problems = _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    diag.extend(list(problems))
    return {ref.key: ref for ref in refs}


# --- the post's own citation (Distill's "For attribution") -----------------------------------

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE",
                        "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "þ": "th", "ð": "d"})


def _ascii_word(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _bib_escape(text: str) -> str:
    """Plain text as a BibTeX value that LaTeX can typeset."""
    text = text.replace("\\", "\\textbackslash{}")
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def post_citation(meta: PostMeta, url: str) -> dict:
    """{"short": 'Patel, "Title", 2023.', "bibtex": "@article{patel2023title, …}"} for the appendix."""
    people = [Person(a.name) for a in meta.authors]
    lasts = [" ".join(p.prelast_names + p.last_names) or str(p) for p in people]
    year = f"{meta.date.year:04d}"
    words = [w for w in (_ascii_word(w) for w in meta.title.split()) if w]
    first_word = next((w for w in words if w not in ("a", "an", "the")), words[0] if words else "")
    key = (_ascii_word(lasts[0]) if lasts else "") + year + first_word
    byline = join_names(lasts)
    short = (f"{byline}, " if byline else "") + f'"{meta.title}", {year}.'
    fields = []
    if people:
        fields.append(("author", " and ".join(_bib_escape(str(p)) for p in people)))
    fields += [("title", _bib_escape(meta.title)), ("year", year)]
    if url:
        fields.append(("url", url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return {"short": short, "bibtex": f"@article{{{key},\n{body}\n}}"}
