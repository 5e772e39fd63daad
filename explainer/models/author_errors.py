"""Errors in an author's model or loader, reported at their own file and line.

An exception raised while an author's code runs (building the module, tracing its loss, a loader
reading files) is turned into `AuthorCodeError(path, line, message)`: the innermost frame of the
traceback that lies inside the content folder gives the place; the exception's type and message
say what. The build prints it as `content/models/my_vae.py:LINE: error: …` with the figure that
used the model, and no Python traceback unless `-v` (`trace` keeps the author's frames for it).
"""

from __future__ import annotations

import traceback
from pathlib import Path

from ..base.errors import ExplainerError


class AuthorCodeError(ExplainerError):
    """A problem in an author's file: `path:line` and a message that says what went wrong."""

    def __init__(self, path: str, line: int, message: str, trace: str = "", config=None):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message, self.trace, self.config = path, line, message, trace, config

    def __reduce__(self):  # picklable across worker processes
        return (AuthorCodeError, (self.path, self.line, self.message, self.trace, self.config))


def author_frame(exc: BaseException, root: Path) -> tuple[str, int] | None:
    """(file, line) of the innermost traceback frame inside `root`, or None."""
    root = Path(root).resolve()
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            Path(frame.filename).resolve().relative_to(root)
        except ValueError:
            continue
        found = (frame.filename, frame.lineno or 1)
    return found


def from_exception(exc: BaseException, root: Path, fallback: tuple[str, int], doing: str,
                   config=None) -> AuthorCodeError:
    """`exc` as an AuthorCodeError at the author's innermost frame (else at `fallback`)."""
    if isinstance(exc, AuthorCodeError):
        return exc
    path, line = author_frame(exc, root) or fallback
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    message = f"{type(exc).__name__} while {doing}" + (f": {text}" if text else "")
    frames = [f for f in traceback.format_exception(exc)]
    return AuthorCodeError(str(path), int(line), message, "".join(frames), config)
