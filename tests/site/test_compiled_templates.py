"""The theme's compiled templates (site/compiled_templates.py): current with their sources, used
only when they match, and rendering what compiling the template renders.

    UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py   # after editing a template
"""

from __future__ import annotations

import os

import jinja2

from explainer.site import compiled_templates as ct
from explainer.site.layout import _make_env


def _sources():
    env = _make_env()
    return env, {name: env.loader.get_source(env, name)[0] for name in env.list_templates()}


def test_every_template_has_its_current_compiled_module():
    env, sources = _sources()
    expected = {ct.module_file(name): ct.compiled_source(env, name, src) for name, src in sources.items()}
    if os.environ.get("UPDATE_COMPILED"):
        for old in ct.COMPILED_DIR.glob("*.py"):
            old.unlink()
        ct.COMPILED_DIR.mkdir(parents=True, exist_ok=True)
        for path, text in expected.items():
            path.write_text(text, encoding="utf-8")
    stale = [p.name for p, text in expected.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    extra = sorted(p.name for p in ct.COMPILED_DIR.glob("*.py") if p not in expected)
    assert not stale and not extra, (f"stale: {stale}, left over: {extra}; run "
                                     "UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py")


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
    assert compiled.env.get_template("post.html").filename.endswith("post_html.py")  # the modules were used
    monkeypatch.setattr(ct, "COMPILED_DIR", tmp_path)  # none there: every template compiled now
    fresh = Renderer(SITE, ASSETS)
    assert pages(fresh) == with_modules
    assert fresh.env.get_template("post.html").filename.endswith("post.html")
