"""Plugin: GitHub task lists (`- [ ] to do`, `- [x] done`) as disabled checkboxes.

Same markup as mdit-py-plugins' `tasklists_plugin` with its default options, in linear time. That
plugin finds each task item's list by scanning backwards from the item, which is quadratic: a list
of 20,000 tasks took over 30 s. Here one forward pass remembers the latest token of each nesting
level, which is the list an item belongs to. (The upstream fix offered: the same per-level index
in its core rule instead of `parent_token`'s backward scan.)
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_TODO_RE = re.compile(r"\[([ xX])\][ \t\n\r\f\v]+")
_BOX = '<input class="task-list-item-checkbox" {checked}disabled="disabled" type="checkbox">'


def _is_task(tokens: list[Token], i: int) -> bool:
    return (tokens[i].type == "inline" and tokens[i - 1].type == "paragraph_open"
            and tokens[i - 2].type == "list_item_open" and _TODO_RE.match(tokens[i].content) is not None)


def _todoify(inline: Token) -> None:
    done = inline.content[1] in "xX"
    box = Token("html_inline", "", 0)
    # As upstream: a checkbox only when a space follows the brackets (`[ ]` then a newline gets none).
    if inline.content[3:4] == " ":
        box.content = _BOX.format(checked='checked="checked" ' if done else "")
    assert inline.children is not None
    inline.children.insert(0, box)
    inline.children[1].content = inline.children[1].content[3:]
    inline.content = inline.content[3:]


def _tasklists_rule(state: StateCore) -> None:
    tokens = state.tokens
    latest: dict[int, int] = {}  # nesting level -> index of the latest token at that level
    for i, token in enumerate(tokens):
        if 2 <= i < len(tokens) - 1 and _is_task(tokens, i):
            _todoify(token)
            item = tokens[i - 2]
            item.attrSet("class", "task-list-item")
            parent = latest.get(item.level - 1)  # tokens i-1 and i-2 are deeper: still the list
            if parent is not None:
                tokens[parent].attrSet("class", "contains-task-list")
        latest[token.level] = i


def tasklists_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "github-tasklists", _tasklists_rule)
