"""Warnings for slips that render without error but not as the author meant."""

from __future__ import annotations

from tests.posts.fixtures.harness import render


def warnings(body: str, body_line: int = 1) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in render(body, body_line=body_line)[2].warnings]


def test_latex_command_outside_math_is_warned_with_fix():
    (line, message), = warnings("para\n\nThe code is \\textit{typically} short.\n", body_line=50)
    assert line == 52
    assert message == ("LaTeX command \\textit outside math shows literally; use *…* or put it "
                       "inside $…$")


def test_latex_commands_in_math_and_code_are_fine():
    assert warnings("$\\textit{a}$ and `\\textbf{b}` and\n\n```\n\\emph{c}\n```\n") == []


def test_latex_command_line_counts_soft_breaks_and_footnotes():
    body = "one\ntwo <d-footnote>x\n\\emph{y}</d-footnote>\n"
    assert [line for line, _ in warnings(body)] == [3]


def test_level_one_heading_in_body():
    (line, message), = warnings("## A\n\ntext\n\n# N\n\nmore\n")
    assert line == 5 and "`# N`" in message and "`## N`" in message and "front matter" in message


def test_empty_sections():
    body = ("## Empty before same level\n\n## Has a subsection\n\n### Sub\n\ntext\n\n"
            "## Rule only\n\n***\n\n# Higher level next\n\ncontent\n\n## Last\n")
    found = [(line, message.split("`")[1]) for line, message in warnings(body)
             if "is empty" in message]
    assert found == [(1, "Empty before same level"), (9, "Rule only"), (17, "Last")]


def test_clean_body_has_no_warnings():
    body = "## Intro\n\nText with $x$ and a note[^1].\n\n[^1]: Note.\n\n## Next\n\nMore.\n"
    assert warnings(body) == []


def test_undefined_footnote_reference():
    (line, message), = warnings("Text[^nope].\n")
    assert line == 1 and "[^nope]" in message
