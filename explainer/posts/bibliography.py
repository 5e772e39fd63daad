"""BibTeX files -> `Reference` records with clean text and a formatted HTML entry.

pybtex does the parsing (strings, macros, `#` concatenation, name splitting); `latex_text` turns the
LaTeX inside field values into plain Unicode. Both are imported only to parse a file that is not in
the bibliography cache (bib_cache.py), or to split an author name that is not plainly "First Last"
(post_citation.py): a page citing an unchanged .bib loads neither (~30 ms of a fresh process).
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..base.errors import Diagnostic, Diagnostics
from . import bib_cache
from .bib_names import join_names
from .post_citation import PYBTEX_ERRORS


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
        line = getattr(error, "lineno", None)
        problem = re.sub(r"^syntax error in line \d+: ", "", message)
        diag.error(path, line, f"BibTeX syntax error: {problem}; {_syntax_hint(text, error)}")


def _syntax_hint(text: str, error) -> str:
    """pybtex stops *after* the mistake: at the next entry, or at the field after a missing comma."""
    info = getattr(error, "error_context_info", None)
    rest = text[info[2]:] if info else ""
    if rest.startswith("@"):
        return f"the entry above line {error.lineno} is not closed: end it with `}}` after its last field"
    if re.match(r"[A-Za-z][\w-]*\s*=", rest):
        before = [(n, s.rstrip()) for n, s in enumerate(text.split("\n")[:error.lineno - 1], 1) if s.strip()]
        if before and not before[-1][1].endswith((",", "{", "(")):
            return f"is a comma missing at the end of line {before[-1][0]}?"
    return _FIX["syntax"]


def _parse(text: str, path, diag: Diagnostics):
    """pybtex, with its errors collected instead of raised, so every problem is listed at once."""
    import pybtex.errors
    from pybtex.database.input import bibtex

    from .bib_distill import distill_text
    text, written = distill_text(text, path, diag)
    with PYBTEX_ERRORS, pybtex.errors.capture() as errors:
        data = bibtex.Parser().parse_string(text)
    lines = _entry_lines(text)
    keyless, keyless_lines = set(), set()
    for m in _ENTRY_RE.finditer(text):
        if m.group(1).lower() not in ("string", "preamble", "comment") and (not m.group(2) or m.group(3) == "="):
            keyless.add(m.group(2).lower())
            keyless_lines.add(text.count("\n", 0, m.start()) + 1)
            diag.error(path, text.count("\n", 0, m.start()) + 1, f"this @{m.group(1)} entry has no key; "
                       "start it as `@article{key,` and cite it with `<d-cite key=\"key\">`")
    odd_names = set()
    for error in errors:
        if type(error).__name__ == "InvalidNameString":
            odd_names.add(_odd_name(error, text, path, diag))
        elif getattr(error, "lineno", None) not in keyless_lines:  # already said better above
            _report(error, text, lines, path, diag)
    as_written = {key: {role: names for role, names in roles.items()
                        if odd_names & {" ".join(n.split()) for n in names}}
                  for key, roles in written.items()}
    return data, lines, keyless, as_written


def _odd_name(error, text: str, path, diag: Diagnostics) -> str:
    """A name pybtex cannot split (`Ezaki, T., Reis, E., Watanabe, T. et al.` is one name with too
    many commas) is shown as written, as Distill shows it; a warning says how to write it."""
    m = re.search(r"'(.*)'", str(error))
    name = " ".join(m.group(1).split()) if m else ""
    line = _line_of(text, name.split(",")[0]) if name else None
    diag.warn(path, line, f"{error}; it is shown as written. To list the authors one by one, "
              f"{_FIX['name']}")
    return name


# --- records and formatting ------------------------------------------------------------------

def _url(fields) -> str | None:
    from .latex_text import LatexParser
    raw = fields.get("url", "").strip()
    if raw:
        url = LatexParser(raw if raw.startswith("\\url") else "\\url{" + raw + "}").read()
        return url if re.match(r"https?://", url, re.I) else None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", fields.get("doi", "").strip(), flags=re.I)
    if doi:
        return "https://doi.org/" + doi
    if fields.get("eprint") and fields.get("archiveprefix", "").lower() == "arxiv":
        return "https://arxiv.org/abs/" + fields["eprint"].strip()
    return None


def _venue(fields) -> str:
    from .latex_text import latex_to_text
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
    from .latex_text import latex_to_text
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
        details.append(e("Vol. " + volume + (f"({number})" if number else "")))
    pages = latex_to_text(fields.get("pages", ""))
    if pages:
        details.append(e(("pp. " if "–" in pages or "," in pages else "p. ") + pages))
    if ref.year:
        details.append(f'<span class="ref-year">{e(ref.year)}</span>')
    byline = e(_sentence(join_names(ref.authors, limit)))
    parts = [f'<span class="ref-authors">{byline}</span>' if byline else "", title]
    if details:
        parts.append(", ".join(details) + ".")
    return " ".join(p for p in parts if p)


def _bibtex(entry, key: str, written: dict) -> str:
    lines = [f"@{entry.type}{{{key},"]
    for role, people in entry.persons.items():
        names = written.get(role) or [str(p) for p in people]
        lines.append(f"  {role} = {{{' and '.join(names)}}},")
    lines += [f"  {name} = {{{value}}}," for name, value in entry.fields.items()]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}"


def _reference(key: str, entry, written: dict | None = None) -> Reference:
    from .bib_names import authors_of
    from .latex_text import latex_to_text
    fields = entry.fields
    date = fields.get("year") or fields.get("date", "")[:4]
    ref = Reference(
        key=key, entry_type=entry.type.lower(), title=latex_to_text(fields.get("title", "")),
        authors=authors_of(entry, written or {}), year=latex_to_text(date), venue=_venue(fields),
        url=_url(fields), html="", bibtex=_bibtex(entry, key, written or {}))
    return dataclasses.replace(ref, html=_entry_html(ref, fields, None), card_html=_entry_html(ref, fields, 6))


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int, cache_dir: Path | None = None
                 ) -> tuple[tuple[Reference, ...], tuple[Diagnostic, ...]]:
    """Parse once per file version; a rebuild in `serve` reuses it until the file changes, and a
    fresh process finds it in `cache_dir` (bib_cache.py)."""
    raw = Path(path).read_bytes()
    return bib_cache.load(path, raw, cache_dir, lambda: _parse_file(path, raw), Reference)


def _parse_file(path: str, raw: bytes) -> tuple[tuple[Reference, ...], tuple[Diagnostic, ...]]:
    diag = Diagnostics()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        text = raw.decode("latin-1")
        diag.warn(path, raw.count(b"\n", 0, e.start) + 1, "the file is not UTF-8; it was read as Latin-1 "
                  "(save it as UTF-8 to be sure accents come out right)")
    data, lines, keyless, as_written = _parse(text.replace("\r\n", "\n"), path, diag)
    refs = []
    for key, entry in data.entries.items():
        if key.lower() in keyless or re.search(r"[\s={}]", key):
            continue  # a keyless entry, already reported by `_parse`
        ref = _reference(key, entry, as_written.get(key.lower()))
        if entry.fields.get("url") and ref.url is None:
            diag.warn(path, (lines.get(key.lower()) or [None])[0], f"entry `{key}`: the url is not an "
                      "http(s) address, so the title is not linked; write it as `url = {https://…}`")
        if not ref.title:
            diag.warn(path, (lines.get(key.lower()) or [None])[0], f"entry `{key}` has no `title`; "
                      "its citations will show only authors and venue")
        refs.append(ref)
    return tuple(refs), tuple(diag.items)


def load_bibliography(path: Path, diag: Diagnostics, cache_dir: Path | None = None) -> dict[str, Reference]:
    """key -> Reference for one .bib file; problems go to `diag`. A missing file is the caller's to report.
    `cache_dir`: the bibliography cache (bib_cache.py); None parses without one."""
    try:
        stat = Path(path).stat()
    except OSError:
        return {}
    refs, problems = _load_cached(str(path), stat.st_mtime_ns, stat.st_size, cache_dir)
    diag.extend(list(problems))
    return {ref.key: ref for ref in refs}
