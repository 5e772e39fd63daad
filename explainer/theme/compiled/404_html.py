# Generated from theme/templates/404.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '41fc0b176de29f70aa5c91919c9152333d61e80d609d20607a412bd3e16de75a'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '404.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', '404.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_title(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    pass
    yield 'Page not found · '
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))

def block_meta(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield '<meta name="robots" content="noindex">'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_url = resolve('url')
    pass
    yield '<div class="page-intro not-found">\n  <h1>Page not found</h1>\n  <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>\n  <p><a class="home-link" href="'
    yield escape(context.call((undefined(name='url') if l_0_url is missing else l_0_url), '', _block_vars=_block_vars))
    yield '">Go to the home page</a></p>\n</div>\n'

blocks = {'title': block_title, 'meta': block_meta, 'main': block_main}
debug_info = '1=12&2=17&3=29&4=39&8=49'
