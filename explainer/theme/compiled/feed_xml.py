# Generated from theme/templates/feed.xml by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '2a08d6bd583bbfd0917f38a874a70b4de6e1bf0cf5c303943e1781e2cd570b88'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'feed.xml'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_site = resolve('site')
    l_0_absolute = resolve('absolute')
    l_0_feed_path = resolve('feed_path')
    l_0_updated = resolve('updated')
    l_0_posts = resolve('posts')
    try:
        t_1 = environment.filters['atom_date']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'atom_date' found.")
    try:
        t_2 = environment.filters['safe_url']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'safe_url' found.")
    pass
    yield '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'lang'))
    yield '">\n  <title>'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</title>\n'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'):
        pass
        yield '<subtitle>'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))
        yield '</subtitle>'
    yield '  <link href="'
    yield escape(context.call((undefined(name='absolute') if l_0_absolute is missing else l_0_absolute), (undefined(name='feed_path') if l_0_feed_path is missing else l_0_feed_path)))
    yield '" rel="self" type="application/atom+xml"/>\n  <link href="'
    yield escape(context.call((undefined(name='absolute') if l_0_absolute is missing else l_0_absolute), ''))
    yield '" rel="alternate" type="text/html"/>\n  <id>'
    yield escape(context.call((undefined(name='absolute') if l_0_absolute is missing else l_0_absolute), ''))
    yield '</id>\n  <updated>'
    yield escape((undefined(name='updated') if l_0_updated is missing else l_0_updated))
    yield '</updated>\n  <author><name>'
    yield escape((environment.getattr(environment.getitem(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'authors'), 0), 'name') if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'authors') else environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title')))
    yield '</name></author>\n  <generator>explainer</generator>\n'
    for l_1_post in (undefined(name='posts') if l_0_posts is missing else l_0_posts):
        l_1_contents = resolve('contents')
        _loop_vars = {}
        pass
        yield '  <entry>\n    <title>'
        yield escape(environment.getattr(environment.getattr(l_1_post, 'meta'), 'title'))
        yield '</title>\n    <link href="'
        yield escape(context.call((undefined(name='absolute') if l_0_absolute is missing else l_0_absolute), environment.getattr(l_1_post, 'url_path'), _loop_vars=_loop_vars))
        yield '" rel="alternate" type="text/html"/>\n    <id>'
        yield escape(context.call((undefined(name='absolute') if l_0_absolute is missing else l_0_absolute), environment.getattr(l_1_post, 'url_path'), _loop_vars=_loop_vars))
        yield '</id>\n    <published>'
        yield escape(t_1(environment.getattr(environment.getattr(l_1_post, 'meta'), 'date')))
        yield '</published>\n    <updated>'
        yield escape(t_1(environment.getattr(environment.getattr(l_1_post, 'meta'), 'date')))
        yield '</updated>\n'
        for l_2_a in environment.getattr(environment.getattr(l_1_post, 'meta'), 'authors'):
            _loop_vars = {}
            pass
            yield '    <author><name>'
            yield escape(environment.getattr(l_2_a, 'name'))
            yield '</name>'
            if environment.getattr(l_2_a, 'url'):
                pass
                yield '<uri>'
                yield escape(t_2(environment.getattr(l_2_a, 'url')))
                yield '</uri>'
            yield '</author>\n'
        l_2_a = missing
        if environment.getattr(environment.getattr(l_1_post, 'meta'), 'description'):
            pass
            yield '<summary>'
            yield escape(environment.getattr(environment.getattr(l_1_post, 'meta'), 'description'))
            yield '</summary>'
        if context.call(environment.getattr((undefined(name='contents') if l_1_contents is missing else l_1_contents), 'get'), environment.getattr(l_1_post, 'out_path'), _loop_vars=_loop_vars):
            pass
            yield '    <content type="html" xml:base="'
            yield escape(context.call((undefined(name='absolute') if l_0_absolute is missing else l_0_absolute), environment.getattr(l_1_post, 'url_path'), _loop_vars=_loop_vars))
            yield '">'
            yield escape(environment.getitem((undefined(name='contents') if l_1_contents is missing else l_1_contents), environment.getattr(l_1_post, 'out_path')))
            yield '</content>\n'
        for l_2_c in (environment.getattr(environment.getattr(l_1_post, 'meta'), 'categories') + environment.getattr(environment.getattr(l_1_post, 'meta'), 'tags')):
            _loop_vars = {}
            pass
            yield '    <category term="'
            yield escape(l_2_c)
            yield '"/>\n'
        l_2_c = missing
        yield '  </entry>\n'
    l_1_post = l_1_contents = missing
    yield '</feed>\n'

blocks = {}
debug_info = '2=29&3=31&4=33&5=39&6=41&7=43&8=45&9=47&11=49&13=54&14=56&15=58&16=60&17=62&18=64&19=68&21=77&22=82&23=85&25=89&26=93'
