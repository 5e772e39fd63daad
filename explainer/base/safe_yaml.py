"""YAML for front matter, site.yml and figure blocks: safe types only, and bounded.

PyYAML's safe loader never runs code, but it will happily expand a 500-byte "billion laughs"
document (anchors of anchors) into gigabytes, build a list that contains itself, or raise a plain
ValueError (not a YAMLError) for `!!int a` or an integer of more than 4,300 digits. `load_yaml`
turns all of these into `yaml.MarkedYAMLError`s with a line, which every caller already reports
as a content error.
"""

from __future__ import annotations

import re

import yaml

# libyaml's loader is 7x faster than the pure-Python one; front matter of every post is parsed on
# every build, so it matters for a 1000-post site.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 100_000  # values after expanding aliases; a long front matter has a few hundred
MAX_DEPTH = 64  # nesting of lists and mappings
MAX_BYTES = 2 * 1024 * 1024


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]  # C or pure-Python, found at run time
    """SafeLoader that leaves timestamps as strings: YAML 1.1 would reject al-folio's `-0400` zones
    and silently turn others into naive datetimes. We parse dates ourselves (`parse_date`)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _refuse(problem: str, mark=None) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=mark)


def _might_blow_up(text: str) -> bool:
    """Aliases need an anchor (`&`); deep nesting needs many brackets or deep indentation. Only such
    documents pay for the event scan, so ordinary front matter loads at libyaml speed."""
    if "&" in text or text.count("[") + text.count("{") > MAX_DEPTH:
        return True
    return bool(re.search(rf"^[ -]{{{2 * MAX_DEPTH},}}", text, re.MULTILINE))


def _check_events(text: str) -> None:
    """Size of the document with every alias expanded, and its depth, from the event stream (linear
    in the text, whatever the aliases would expand to)."""
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]  # open collections: [anchor, values so far]
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            if any(frame[0] == event.anchor for frame in stack):
                raise _refuse(f"the alias *{event.anchor} refers to the value that contains it "
                              "(a recursive structure); write the value out instead", event.start_mark)
            stack[-1][1] += sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            stack[-1][1] += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append([event.anchor, 1])
            if len(stack) > MAX_DEPTH:
                raise _refuse(f"lists and mappings nested more than {MAX_DEPTH} deep", event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
            stack[-1][1] += size
        if stack[-1][1] > MAX_NODES:
            raise _refuse(f"more than {MAX_NODES:,} values once aliases (*name) are expanded; "
                          "repeat less, or write the values out", event.start_mark)


def load_yaml(text: str):
    """Safe types only; MarkedYAMLError for anything unreadable, oversized or recursive."""
    if len(text) > MAX_BYTES:
        raise _refuse(f"YAML of {len(text):,} characters; the limit is {MAX_BYTES:,}")
    try:
        if _might_blow_up(text):
            _check_events(text)
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        # Constructors raise these for `!!int a`, `!!float x`, integers over 4,300 digits...
        raise _refuse(f"a value cannot be read ({_short(exc)}); check tagged (`!!`) and very long values",
                      _mark_of_likely_culprit(text)) from None


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:120] or type(exc).__name__


def _mark_of_likely_culprit(text: str):
    """Constructor errors carry no position: point at the first explicit tag or huge number."""
    m = re.search(r"!!|\d{4300,}", text)
    if not m:
        return None
    line = text.count("\n", 0, m.start())
    return yaml.Mark("<yaml>", m.start(), line, m.start() - (text.rfind("\n", 0, m.start()) + 1), None, None)
