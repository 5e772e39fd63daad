# Generated from theme/templates/sitemap.xml by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '26b233aa66e9e5df6e9a3494f9e8e8b658723846cea06feae7e2a8e2ab0d7a11'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'sitemap.xml'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_absolute = resolve('absolute')
    l_0_posts = resolve('posts')
    pass
    yield '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n  <url><loc>'
    yield escape(context.call((undefined(name='absolute') if l_0_absolute is missing else l_0_absolute), ''))
    yield '</loc>'
    if (undefined(name='posts') if l_0_posts is missing else l_0_posts):
        pass
        yield '<lastmod>'
        yield escape(context.call(environment.getattr(environment.getattr(environment.getattr(environment.getitem((undefined(name='posts') if l_0_posts is missing else l_0_posts), 0), 'meta'), 'date'), 'strftime'), '%Y-%m-%d'))
        yield '</lastmod>'
    yield '</url>\n'
    for l_1_post in (undefined(name='posts') if l_0_posts is missing else l_0_posts):
        _loop_vars = {}
        pass
        yield '  <url><loc>'
        yield escape(context.call((undefined(name='absolute') if l_0_absolute is missing else l_0_absolute), environment.getattr(l_1_post, 'url_path'), _loop_vars=_loop_vars))
        yield '</loc><lastmod>'
        yield escape(context.call(environment.getattr(environment.getattr(environment.getattr(l_1_post, 'meta'), 'date'), 'strftime'), '%Y-%m-%d', _loop_vars=_loop_vars))
        yield '</lastmod></url>\n'
    l_1_post = missing
    yield '</urlset>\n'

blocks = {}
debug_info = '3=14&4=22&5=26'
