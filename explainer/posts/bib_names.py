"""Author names as a reference list shows them: pybtex's `Person` made readable, `et al.` and
`and others` ending a list, and names pybtex cannot split shown as the .bib writes them (Distill
never splits names, so it shows those too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pybtex.database import Person

_ET_AL = ("et", "al.", "al")


def _drop_et_al(words: list[str]) -> tuple[list[str], bool]:
    """`T. Watanabe et al.` as a last name: the words without the trailing `et al.`."""
    if len(words) >= 2 and words[-2].lower() == "et" and words[-1].lower() in _ET_AL[1:]:
        return words[:-2], True
    if words and words[-1].lower() in ("et.al.", "etal."):
        return words[:-1], True
    return words, False


def display_names(person: Person) -> list[str]:
    """`von Neumann, John` -> ["John von Neumann"]; `{World Health Organization}` stays whole;
    `Watanabe, T. et al.` -> ["T. Watanabe", "et al."] (the author list ends there, as written)."""
    from .latex_text import latex_to_text  # here: join_names, which a page's citation needs, loads no latexcodec
    firsts, cut_first = _drop_et_al(person.first_names + person.middle_names)
    lasts, cut_last = _drop_et_al(person.prelast_names + person.last_names)
    if not lasts and firsts:  # `T. Watanabe et al.`: pybtex took `al.` for the last name
        firsts, lasts = firsts[:-1], firsts[-1:]
    name = latex_to_text(" ".join(firsts + lasts))
    if name == "others":
        return ["et al."]
    lineage = latex_to_text(" ".join(person.lineage_names))
    names = [f"{name}, {lineage}" if lineage else name] if name else []
    return names + (["et al."] if cut_first or cut_last else [])


def written_names(names: list[str]) -> list[str]:
    """Names shown as the .bib writes them (those pybtex cannot split), LaTeX made text."""
    from .latex_text import latex_to_text
    out = []
    for raw in names:
        words, cut = _drop_et_al(raw.rstrip(",; ").split())
        text = latex_to_text(" ".join(words)).rstrip(",; ")
        out += ([text] if text and text != "others" else []) + (["et al."] if cut or text == "others" else [])
    return out


def authors_of(entry, written: dict) -> tuple[str, ...]:
    role = "author" if "author" in entry.persons or "author" in written else "editor"
    if written.get(role):
        return tuple(written_names(written[role]))
    return tuple(n for p in entry.persons.get(role, []) for n in display_names(p))


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
