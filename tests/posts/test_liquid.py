"""Liquid compatibility: fixture pairs plus relative_url everywhere but code, and details."""

from __future__ import annotations

import pytest

from tests.posts.fixtures.harness import cases, check_case, render


@pytest.mark.parametrize("case", cases("liquid"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)


def test_relative_url_in_text_link_and_attribute():
    body = ("{{ '/a' | relative_url }} [l]({{ \"/b\" | relative_url }}) "
            "<img src=\"{{ '/c.png' | relative_url }}\">\n\n<a href='{{ \"/d\" | relative_url }}'>d</a>\n")
    html, _, diag = render(body, baseurl="/site")
    assert "<p>/site/a " in html and 'href="/site/b"' in html and 'src="/site/c.png"' in html
    assert "href='/site/d'" in html and not diag.items


def test_relative_url_not_in_code():
    body = "`{{ '/a' | relative_url }}`\n\n```\n{{ '/b' | relative_url }}\n```\n"
    html, _, _ = render(body, baseurl="/site")
    assert "<code>{{ '/a' | relative_url }}</code>" in html
    # Pygments escapes the quotes before 2.21 and not after: either way the tag stays literal.
    assert html.replace("&#39;", "'").count("{{ '/b' | relative_url }}") == 1 and "/site/" not in html


def test_highlight_with_linenos():
    html, _, _ = render("{% highlight python linenos %}\nx = 1\ny = 2\n{% endhighlight %}\n")
    assert html.startswith('<div class="code-block" data-lang="python">')
    assert html.count('<span class="linenos">') == 2


def test_details_renders_markdown_inside():
    html, page, _ = render("{% details Show *more* %}\nSome **bold** and $x$.\n{% enddetails %}\n")
    assert html == ("<details>\n<summary>Show <em>more</em></summary>\n"
                    "<p>Some <strong>bold</strong> and \x02math:0\x03.</p>\n</details>\n")
    assert page.math[0].tex == "x"


def test_unsupported_tag_is_shown_and_warned_with_line():
    html, _, diag = render("a\n\nText {% youtube abc %} end.\n", body_line=3)
    assert "{% youtube abc %}" in html
    (warning,) = diag.warnings
    assert warning.line == 5 and "Liquid tag {% youtube %} is not supported" in warning.message


def test_post_bodies_are_never_executed():
    html, _, _ = render("{{ 7 * 7 }} {% for x in (1..3) %}{{ x }}{% endfor %}\n")
    assert "49" not in html and "{{ 7 * 7 }}" in html and "{{ x }}" in html
