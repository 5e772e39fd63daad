"""The theme's compiled templates (site/compiled_templates.py): current with their sources, used
only when they match, and rendering what compiling the template renders.

    UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py   # after editing a template
"""

from __future__ import annotations

import ast
import os
import re

import jinja2

from explainer.site import compiled_templates as ct
from explainer.site.layout import _make_env


def _sources():
    env = _make_env()
    return env, {name: env.loader.get_source(env, name)[0] for name in env.list_templates()}


def test_every_template_has_its_current_compiled_module():
    """Compiled from the template as it is now, with these options. Made by another Jinja version
    than the one installed (a newer patch release in CI), a module must be declined at run time
    (the template is then compiled, as without modules); made by this one, it must be what this
    one makes."""
    env, sources = _sources()
    expected = {ct.module_file(name): ct.compiled_source(env, name, src) for name, src in sources.items()}
    if os.environ.get("UPDATE_COMPILED"):
        for old in ct.COMPILED_DIR.glob("*.py"):
            old.unlink()
        ct.COMPILED_DIR.mkdir(parents=True, exist_ok=True)
        for path, text in expected.items():
            path.write_text(text, encoding="utf-8")
    fix = "run UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py"
    extra = sorted(p.name for p in ct.COMPILED_DIR.glob("*.py") if p not in expected)
    assert not extra, f"left over: {extra}; {fix}"
    for name, src in sources.items():
        path = ct.module_file(name)
        assert path.is_file(), f"{path.name} missing; {fix}"
        text = path.read_text(encoding="utf-8")
        header = {k: ast.literal_eval(v) for k, v in re.findall(r"^([A-Z_0-9]+) = (.+)$", text, re.M)}
        assert header.get("SOURCE_SHA256") == ct._sha(src), f"{path.name} is stale; {fix}"
        assert header.get("ENV_OPTIONS") == ct.env_options(env, name), f"{path.name}: other options; {fix}"
        if header.get("JINJA_VERSION") == jinja2.__version__:
            assert text == expected[path], f"{path.name} differs from what this Jinja makes; {fix}"
        else:
            assert ct._matching_module(env, name, src) is None


def test_a_module_is_used_only_when_it_matches(tmp_path, monkeypatch):
    env, sources = _sources()
    monkeypatch.setattr(ct, "COMPILED_DIR", tmp_path)
    for name, src in sources.items():
        ct.module_file(name).write_text(ct.compiled_source(env, name, src))
    namespace = ct._matching_module(env, "_tags.html", sources["_tags.html"])
    assert namespace is not None and namespace["name"] == "_tags.html"
    assert ct._matching_module(env, "_tags.html", sources["_tags.html"] + "edited") is None  # edited template
    path = ct.module_file("_tags.html")
    path.write_text(path.read_text().replace(f"JINJA_VERSION = {jinja2.__version__!r}", "JINJA_VERSION = '0.1'"))
    assert ct._matching_module(env, "_tags.html", sources["_tags.html"]) is None  # another Jinja
    path.write_text("from jinja2.runtime import NoSuchThing\n")
    assert ct._matching_module(env, "_tags.html", sources["_tags.html"]) is None  # cannot even load
    other = jinja2.Environment(loader=env.loader, trim_blocks=False)
    assert ct._matching_module(other, "post.html", sources["post.html"]) is None  # other options


def test_compiled_and_freshly_compiled_templates_render_alike(tmp_path, monkeypatch):
    from explainer.site.layout import Renderer
    from tests.site.test_layout import ASSETS, SITE, make_page, make_post

    def pages(renderer):
        posts = [make_post(), make_post(title="Other", slug="other")]
        return [renderer.post_page(make_page()), renderer.index_page(posts), renderer.feed_xml(posts),
                renderer.sitemap_xml(posts), renderer.not_found_page()]

    compiled = Renderer(SITE, ASSETS)
    with_modules = pages(compiled)
    same_jinja = f"JINJA_VERSION = {jinja2.__version__!r}" in ct.module_file("post.html").read_text()
    used = compiled.env.get_template("post.html").filename.endswith("post_html.py")
    assert used == same_jinja  # the modules are used, unless another Jinja made them
    monkeypatch.setattr(ct, "COMPILED_DIR", tmp_path)  # none there: every template compiled now
    fresh = Renderer(SITE, ASSETS)
    assert pages(fresh) == with_modules
    assert fresh.env.get_template("post.html").filename.endswith("post.html")
