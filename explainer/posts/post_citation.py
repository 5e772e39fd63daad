"""The post's own citation (Distill's "For attribution"): a short line and a BibTeX entry made from
its front matter.

Author names are split as BibTeX splits them ("First von Last"); a plain "First Last" name is split
here without pybtex (`_citation_name`, tested against pybtex), so a page whose authors' names are
plain never imports it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import TYPE_CHECKING

from ..base.config import PostMeta
from .bib_names import join_names

if TYPE_CHECKING:
    from pybtex.database import Person

PYBTEX_ERRORS = threading.Lock()  # pybtex collects errors in global state: one reader at a time


# --- the post's own citation (Distill's "For attribution") -----------------------------------

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE",
                        "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "þ": "th", "ð": "d"})


def _ascii_word(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _bib_escape(text: str) -> str:
    """Plain text as a BibTeX value that LaTeX can typeset."""
    def one(m):
        return "\\textbackslash{}" if m.group() == "\\" else "\\" + m.group()
    return re.sub(r"[{}&%$#_\\]", one, text)


def _person(name: str) -> Person:
    """A front-matter author name as a pybtex Person; odd names (too many commas) stay whole."""
    import pybtex.errors
    from pybtex.database import Person
    with PYBTEX_ERRORS, pybtex.errors.capture() as errors:
        person = Person(name)
    return Person(last=name) if errors else person


# Words that make an author a group rather than a person: BibTeX must not split "The explainer
# authors" into first and last names (it printed `explainer authors, The`).
_GROUP_WORDS = frozenset("""authors team group lab laboratory university institute institution consortium
collaboration project foundation contributors committee society association center centre department
inc inc. ltd ltd. llc corporation company editors staff organization organisation""".split())


def is_group_name(name: str) -> bool:
    words = name.lower().split()
    return bool(words) and (words[0] == "the" or any(w.strip(",.") in _GROUP_WORDS for w in words))


def _citation_name(name: str) -> tuple[str, str]:
    """(the name as a byline shows it, the name as BibTeX wants it) for one front-matter author."""
    if is_group_name(name) or len(name.split()) == 1:
        return name, "{" + _bib_escape(name) + "}"  # braces: one unit, never "Last, First"
    if _PLAIN_NAME_RE.match(name) and all(w[0].isupper() for w in name.split(" ")):
        # "Ada King Lovelace": BibTeX's own rule for "First von Last" with no lowercase (von) word
        # and nothing it treats specially, as pybtex would split it (tested against pybtex).
        *first, last = name.split(" ")
        return last, _bib_escape(f"{last}, {' '.join(first)}")
    person = _person(name)
    return " ".join(person.prelast_names + person.last_names) or str(person), _bib_escape(str(person))


# Words of letters (any script), with dots, hyphens and apostrophes inside, one space apart: no
# commas, braces, backslashes, tildes or digits, which pybtex's name splitting treats specially.
_PLAIN_NAME_RE = re.compile(r"^[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*)+$")


def post_citation(meta: PostMeta, url: str) -> dict:
    """{"short": 'Patel, "Title", 2023.', "bibtex": "@article{patel2023title, …}"} for the appendix.
    Groups ("The explainer authors", "DeepMind Team") and one-name authors stay whole."""
    names = [_citation_name(a.name) for a in meta.authors]
    lasts = [short for short, _ in names]
    year = f"{meta.date.year:04d}"
    words = [w for w in (_ascii_word(w) for w in meta.title.split()) if w]
    first_word = next((w for w in words if w not in ("a", "an", "the")), words[0] if words else "")
    key = (_ascii_word(lasts[0].split()[-1]) if lasts else "") + year + first_word
    byline = join_names(lasts)
    short = (f"{byline}, " if byline else "") + f'"{meta.title}", {year}.'
    fields = []
    if names:
        fields.append(("author", " and ".join(bib for _, bib in names)))
    fields += [("title", _bib_escape(meta.title)), ("year", year)]
    if url:
        fields.append(("url", url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return {"short": short, "bibtex": f"@article{{{key},\n{body}\n}}"}
