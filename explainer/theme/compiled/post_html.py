# Generated from theme/templates/post.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '78463dc78fd3e8468347711b647f427fc243b6bd33ebc42e5bd56d429a0fb39a'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'post.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'post.html')
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
    l_0_meta = resolve('meta')
    l_0_site = resolve('site')
    pass
    yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'title'))
    yield ' · '
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))

def block_meta(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_meta = resolve('meta')
    l_0_site = resolve('site')
    l_0_canonical = resolve('canonical')
    pass
    yield '<meta name="description" content="'
    yield escape((environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'description') or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description')))
    yield '">\n<link rel="canonical" href="'
    yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
    yield '">\n'
    template = environment.get_template('_post_meta.html', 'post.html')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_plotly_url = resolve('plotly_url')
    l_0_live_url = resolve('live_url')
    l_0_page = resolve('page')
    l_0_styles = resolve('styles')
    try:
        t_1 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    pass
    if (undefined(name='plotly_url') if l_0_plotly_url is missing else l_0_plotly_url):
        pass
        yield '<meta name="explainer-plotly" content="'
        yield escape((undefined(name='plotly_url') if l_0_plotly_url is missing else l_0_plotly_url))
        yield '">\n'
    if (undefined(name='live_url') if l_0_live_url is missing else l_0_live_url):
        pass
        yield '<script src="'
        yield escape((undefined(name='live_url') if l_0_live_url is missing else l_0_live_url))
        yield '" defer></script>\n'
    yield escape(t_1(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'math_head')))
    yield '\n'
    if (undefined(name='styles') if l_0_styles is missing else l_0_styles):
        pass
        yield '<style>\n'
        yield escape((undefined(name='styles') if l_0_styles is missing else l_0_styles))
        yield '\n</style>\n'

def block_body_class(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'post'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_meta = resolve('meta')
    l_0_page = resolve('page')
    l_0_giscus = resolve('giscus')
    try:
        t_1 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    pass
    yield '<div class="d-title grid">\n  <h1>'
    yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'title'))
    yield '</h1>\n'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'description'):
        pass
        yield '<p class="description">'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'description'))
        yield '</p>'
    template = environment.get_template('_tags.html', 'post.html')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '</div>\n'
    template = environment.get_template('_byline.html', 'post.html')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '<article class="d-article grid">\n'
    if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'toc'):
        pass
        template = environment.get_template('_toc.html', 'post.html')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
    yield escape(t_1(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'body_html')))
    yield '\n</article>\n'
    template = environment.get_template('_appendix.html', 'post.html')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    if (undefined(name='giscus') if l_0_giscus is missing else l_0_giscus):
        pass
        template = environment.get_template('_giscus.html', 'post.html')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()

def block_body_end(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_page = resolve('page')
    try:
        t_1 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    pass
    yield escape(t_1(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'math_defs')))
    yield '\n'

blocks = {'title': block_title, 'meta': block_meta, 'head': block_head, 'body_class': block_body_class, 'main': block_main, 'body_end': block_body_end}
debug_info = '1=12&2=17&3=31&4=43&5=45&6=47&8=54&9=72&10=75&12=77&13=80&15=82&16=84&18=87&22=90&23=100&25=118&26=120&27=125&29=132&31=139&32=141&34=147&36=149&37=155&38=157&41=164&42=179'
