# Generated from theme/templates/_giscus.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '0135226260394e6d150aa91dce5af75773017e242b88561286807f38e3a9dfec'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_giscus.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_giscus = resolve('giscus')
    l_0_site = resolve('site')
    try:
        t_1 = environment.filters['dictsort']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'dictsort' found.")
    try:
        t_2 = environment.filters['kebab']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'kebab' found.")
    try:
        t_3 = environment.tests['sameas']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No test named 'sameas' found.")
    pass
    yield '<section class="giscus-comments grid" aria-label="Comments">\n  <div class="giscus"></div>\n  <script src="https://giscus.app/client.js"\n'
    for (l_1_key, l_1_value) in t_1((undefined(name='giscus') if l_0_giscus is missing else l_0_giscus)):
        _loop_vars = {}
        pass
        yield '    data-'
        yield escape(t_2(l_1_key))
        yield '="'
        yield escape((('1' if l_1_value else '0') if (t_3(l_1_value, True) or t_3(l_1_value, False)) else l_1_value))
        yield '"\n'
    l_1_key = l_1_value = missing
    if ('mapping' not in (undefined(name='giscus') if l_0_giscus is missing else l_0_giscus)):
        pass
        yield 'data-mapping="pathname"'
    if ('theme' not in (undefined(name='giscus') if l_0_giscus is missing else l_0_giscus)):
        pass
        yield 'data-theme="preferred_color_scheme"'
    if ('lang' not in (undefined(name='giscus') if l_0_giscus is missing else l_0_giscus)):
        pass
        yield 'data-lang="'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'lang'))
        yield '"'
    if ('loading' not in (undefined(name='giscus') if l_0_giscus is missing else l_0_giscus)):
        pass
        yield 'data-loading="lazy"'
    yield '    crossorigin="anonymous" async></script>\n</section>\n'

blocks = {}
debug_info = '5=32&6=36&8=41&9=44&10=47&11=52'
