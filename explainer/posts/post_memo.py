"""The posts an earlier build read, kept on disk for the next process: front matter, slug and the
facts the plan needs, never the text.

A fresh `python build.py` of a 1000-post site would otherwise spend a quarter of a second parsing
unchanged front matter. What a build asks of an unchanged post is its front matter (dates, URL,
the index), a digest of its text (the page key) and whether it may hold a figure; its text is
needed only when its page is built, so the memo does not hold it (which made a 1000-post memo 6 MB,
and loading it the largest part of a one-post rebuild). A post read back from the memo is a
`StoredPost`: its `source` and `body` are read from its file when first asked for, and its front
matter (`meta`) is decoded when first asked for; what every build reads of every post is in its
`facts` (read.PostFacts), decoded at once. (A 1000-post memo: 6 MB with the text, 0.9 MB without;
loading it 27 ms of CPU with every front matter decoded, 13 ms with them left as JSON text.)

The memo is sealed JSON (no pickle: reading it cannot run code; base/sealed_json.py, memo_codec.py);
a damaged one is ignored with one line. Entries are keyed by the file's (path, mtime_ns, size), as
`read.read_post` looks them up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from ..base.errors import Diagnostics
from .read import _MEMO, Post, PostFacts, _read_post, read_source, split_front_matter

MEMO_FILE = "posts-memo.json"  # in the cache folder
MEMO_FORMAT = 3  # 2: sealed JSON (was a pickle, which runs code when read); 3: no text, front matter as JSON text
# The memo is rewritten once this many posts were read anew since it was loaded. Rewriting it costs a
# 1000-post site ~0.05 s (every entry encoded, sealed and written); reading a post again ~1 ms. So a
# one-post edit leaves it as it is, and the next fresh build reads that post (and only it) again.
MEMO_REWRITE_AFTER = 32
_STATE: dict = {"file": None, "saved": frozenset()}  # the disk copy this process loaded, and its keys


class StoredPost(Post):
    """A Post read back from the memo. Its text is read from its file the first time it is asked for
    (the file is the one the memo entry was stamped from: same mtime and size), its front matter
    decoded from the memo the first time it is asked for."""

    @property
    def meta(self):
        meta = self.__dict__.get("meta_decoded")
        if meta is None:
            meta = self.__dict__["meta_decoded"] = _decode_meta(self.__dict__["meta_stored"], self.path)
        return meta

    @property
    def source(self) -> str:
        return self._text()[0]

    @property
    def body(self) -> str:
        return self._text()[1]

    def _text(self) -> tuple[str, str]:
        text = self.__dict__.get("text_read")
        if text is None:
            source = read_source(self.path)
            text = self.__dict__["text_read"] = (source, split_front_matter(source)[1])
        return text


# Stored per post, besides its file's stamp, as one list: these fields of the Post (its text is not
# stored), the facts every build asks for (read.Post's cached properties; `facts` flattened), and
# last its front matter as JSON text, parsed only when asked for (`StoredPost.meta`).
_FIELDS = ("slug", "body_line", "permalink", "source_digest", "meta_digest", "mentions_figure", "cites")
_TYPES: tuple[type | tuple[type, ...], ...] = (str, int, (str, type(None)), str, str, bool, bool)
_FACT_TYPES: tuple[type | tuple[type, ...], ...] = (str, bool, (str, type(None)), bool, str)  # PostFacts', date as ISO


def _decode_meta(stored: str, path: Path):
    """The front matter kept in the memo. The memo was checked whole when it was loaded (its seal);
    what cannot be decoded all the same is read from the post again, not trusted."""
    from .memo_codec import decode
    try:
        meta = decode(json.loads(stored), memo_classes())
        if type(meta).__name__ == "PostMeta":
            return meta
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        pass
    post = _read_post(path, Diagnostics())
    if post is None:
        raise ValueError(f"{path}: the post memo's entry cannot be used and the post no longer reads; "
                         "build again")
    return post.meta


def _memo_version() -> str:
    """Stored Posts are only valid for the code that made them."""
    from ..base.hashing import digest
    here = Path(__file__).resolve().parent
    return digest(MEMO_FORMAT, *[(here / f).read_bytes() for f in ("post_memo.py", "read.py", "permalink.py")],
                  (here.parent / "base" / "config.py").read_bytes())


def memo_classes() -> dict:
    """The only classes the memo may hold; reading it calls nothing else (memo_codec.py)."""
    from ..base.config import Affiliation, Author, MathConfig, PostMeta, TocEntry
    from ..base.errors import Diagnostic
    return {c.__name__: c for c in (PostMeta, Author, Affiliation, TocEntry, MathConfig, Diagnostic)}


def _encode_post(post: Post, allowed: dict) -> list:
    from .memo_codec import encode
    f = post.facts
    facts = [f.date.isoformat(), f.published, f.bibliography, f.giscus_comments, f.thumbnail]
    meta = post.__dict__.get("meta_stored")  # a StoredPost's, as this code wrote it: not decoded to be encoded
    if meta is None:
        meta = json.dumps(encode(post.meta, allowed), ensure_ascii=False, separators=(",", ":"))
    return [*[getattr(post, name) for name in _FIELDS], facts, meta]


def _decode_post(path: str, row) -> StoredPost:
    """A StoredPost from its row (`_encode_post`); ValueError for anything of another shape."""
    if not (isinstance(row, list) and len(row) == len(_FIELDS) + 2 and isinstance(row[-1], str)
            and isinstance(row[-2], list) and len(row[-2]) == len(_FACT_TYPES)
            and all(isinstance(v, t) for v, t in zip(row, _TYPES))
            and all(isinstance(v, t) for v, t in zip(row[-2], _FACT_TYPES))):
        raise ValueError("not a stored post")
    date, *rest = row[-2]
    post = object.__new__(StoredPost)  # no __init__: neither its text nor its front matter is there
    post.__dict__.update(zip(_FIELDS, row), path=Path(path), meta_stored=row[-1],
                         facts=PostFacts(dt.datetime.fromisoformat(date), *rest))
    return post


def without_text(post: Post) -> Post:
    """The post as the memo gives it back: a StoredPost, whose text is read from its file when
    asked for. A one-shot build hands its posts to page workers forked from this process: the text
    of every post held here until then was held in every worker too (3,000 posts: 15 MB each, as
    `source` and `body`), and the page workers read a post's file in microseconds. A post the memo
    cannot hold stays as it is."""
    if isinstance(post, StoredPost):
        return post
    from .memo_codec import NotEncodable
    try:
        return _decode_post(str(post.path), _encode_post(post, memo_classes()))
    except (NotEncodable, ValueError):
        return post


def load_memo(path: Path, log=None) -> None:
    """Start from the posts an earlier build read; a damaged memo is ignored with one line."""
    from ..base.sealed_json import DamagedEntry, read_sealed
    from .memo_codec import decode
    if _STATE["file"] == path:
        return
    _STATE["file"], _STATE["saved"] = path, frozenset()  # nothing of this file is saved yet
    try:
        rows = read_sealed(path, "post-memo", MEMO_FORMAT, _memo_version())
        allowed = memo_classes()
        entries = {(str(p), int(m), int(n)): (_decode_post(p, post) if post is not None else None,
                                              tuple(decode(d, allowed) for d in diags) if diags else ())
                   for p, m, n, post, diags in rows}
    except FileNotFoundError:
        return
    except DamagedEntry as exc:
        if log is not None and "format version" not in str(exc) and "another key" not in str(exc):
            log(f"{path}: ignored ({exc}); the posts are read again")
        return  # rewritten whole at the next save
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        if log is not None:
            log(f"{path}: ignored (unexpected content: {type(exc).__name__}); the posts are read again")
        return
    _MEMO.update(entries)
    _STATE["saved"] = frozenset(entries)


def save_memo(path: Path, posts_dir: Path) -> None:
    """Keep the entries of the files that exist now; write only when they changed."""
    from ..base.sealed_json import write_sealed
    from .memo_codec import NotEncodable, encode
    saved = _STATE["saved"]
    if saved and sum(k not in saved for k in _MEMO) < MEMO_REWRITE_AFTER:
        return  # a few edited posts are read again next time: cheaper than rewriting every post's entry
    current = {k: v for k, v in _MEMO.items() if Path(k[0]).parent.is_relative_to(posts_dir)
               and _still(k)}
    if frozenset(current) == saved:
        return
    rows, allowed = [], memo_classes()
    for (p, m, n), (post, diags) in current.items():
        try:
            rows.append([p, m, n, None if post is None else _encode_post(post, allowed),
                         [encode(d, allowed) for d in diags]])
        except NotEncodable:
            pass  # read again next time
    write_sealed(path, "post-memo", MEMO_FORMAT, rows, _memo_version())
    _STATE["saved"] = frozenset(current)


def forget_loaded() -> None:
    """As in a fresh process: the next `load_memo` reads the file again (tests)."""
    _STATE["file"], _STATE["saved"] = None, frozenset()


def _still(key) -> bool:
    try:
        st = os.stat(key[0])
    except OSError:
        return False
    return (st.st_mtime_ns, st.st_size) == key[1:]
