# Generated from theme/templates/index.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '6bb0832116b4a0c213dcc83dcd43461bc95c78e5d8f5b5dfa81113628350f963'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'index.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'index.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    l_0_posts = resolve('posts')
    try:
        t_1 = environment.filters['atom_date']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'atom_date' found.")
    try:
        t_2 = environment.filters['distill_date']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'distill_date' found.")
    pass
    yield '<div class="page-intro">\n  <h1>'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</h1>\n'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'):
        pass
        yield '<p class="page-description">'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))
        yield '</p>'
    yield '</div>\n<ul class="post-list">\n'
    l_1_loop = missing
    t_3 = 1
    for l_1_post, l_1_loop in LoopContext((undefined(name='posts') if l_0_posts is missing else l_0_posts), undefined):
        l_1_thumbnails = resolve('thumbnails')
        l_1_url = resolve('url')
        l_1_authors = l_1_thumb = missing
        _loop_vars = {}
        pass
        l_1_authors = (environment.getattr(environment.getattr(l_1_post, 'meta'), 'authors') or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'authors'))
        _loop_vars['authors'] = l_1_authors
        l_1_thumb = context.call(environment.getattr((undefined(name='thumbnails') if l_1_thumbnails is missing else l_1_thumbnails), 'get'), environment.getattr(l_1_post, 'out_path'), _loop_vars=_loop_vars)
        _loop_vars['thumb'] = l_1_thumb
        yield '  <li class="post-item'
        if (undefined(name='thumb') if l_1_thumb is missing else l_1_thumb):
            pass
            yield ' has-thumbnail'
        yield '">\n'
        if (undefined(name='thumb') if l_1_thumb is missing else l_1_thumb):
            pass
            yield '    <a class="post-thumbnail" href="'
            yield escape(context.call((undefined(name='url') if l_1_url is missing else l_1_url), environment.getattr(l_1_post, 'url_path'), _loop_vars=_loop_vars))
            yield '" tabindex="-1" aria-hidden="true"><img src="'
            yield escape(context.call((undefined(name='url') if l_1_url is missing else l_1_url), (undefined(name='thumb') if l_1_thumb is missing else l_1_thumb), _loop_vars=_loop_vars))
            yield '" alt="" loading="lazy"></a>\n'
        yield '    <div class="post-item-text">\n      <h2 class="post-item-title"><a href="'
        yield escape(context.call((undefined(name='url') if l_1_url is missing else l_1_url), environment.getattr(l_1_post, 'url_path'), _loop_vars=_loop_vars))
        yield '">'
        yield escape(environment.getattr(environment.getattr(l_1_post, 'meta'), 'title'))
        yield '</a></h2>\n      <p class="post-item-meta"><time datetime="'
        yield escape(t_1(environment.getattr(environment.getattr(l_1_post, 'meta'), 'date')))
        yield '">'
        yield escape(t_2(environment.getattr(environment.getattr(l_1_post, 'meta'), 'date')))
        yield '</time>'
        if (undefined(name='authors') if l_1_authors is missing else l_1_authors):
            pass
            yield ' · <span class="post-item-authors">'
            l_2_loop = missing
            for l_2_a, l_2_loop in LoopContext((undefined(name='authors') if l_1_authors is missing else l_1_authors), undefined):
                _loop_vars = {}
                pass
                yield escape(environment.getattr(l_2_a, 'name'))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ', '
            l_2_loop = l_2_a = missing
            yield '</span>'
        yield '</p>\n'
        if environment.getattr(environment.getattr(l_1_post, 'meta'), 'description'):
            pass
            yield '<p class="post-item-description">'
            yield escape(environment.getattr(environment.getattr(l_1_post, 'meta'), 'description'))
            yield '</p>'
        template = environment.get_template('_tags.html', 'index.html')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {'authors': l_1_authors, 'loop': l_1_loop, 'post': l_1_post, 'thumb': l_1_thumb}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
        yield '    </div>\n  </li>\n'
        t_3 = 0
    l_1_loop = l_1_post = l_1_authors = l_1_thumbnails = l_1_thumb = l_1_url = missing
    if t_3:
        pass
        yield '  <li class="post-item">No posts yet.</li>\n'
    yield '</ul>\n'

blocks = {'main': block_main}
debug_info = '1=12&2=17&4=40&5=42&8=50&9=56&10=58&11=61&12=65&13=68&16=73&17=77&18=95&19=100'
