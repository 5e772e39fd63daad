# Generated from theme/templates/base.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '708470fbb2f24651909112b324749b5daa4f16480b6fdece9ab7a5e2d4cc9617'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_site = resolve('site')
    l_0_url = resolve('url')
    l_0_feed_path = resolve('feed_path')
    l_0_asset = resolve('asset')
    l_0_extra_head = resolve('extra_head')
    try:
        t_1 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    pass
    yield '<!DOCTYPE html>\n<html lang="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'lang'))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<script>(function(d){var t;try{t=localStorage.getItem("explainer-theme")}catch(e){}if(t!=="light"&&t!=="dark"){t=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}d.setAttribute("data-theme",t);d.classList.add("js")})(document.documentElement)</script>\n<title>'
    yield from context.blocks['title'][0](context)
    yield '</title>\n'
    yield from context.blocks['meta'][0](context)
    yield '<link rel="icon" href="data:,">\n<link rel="alternate" type="application/atom+xml" title="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '" href="'
    yield escape(context.call((undefined(name='url') if l_0_url is missing else l_0_url), (undefined(name='feed_path') if l_0_feed_path is missing else l_0_feed_path)))
    yield '">\n<link rel="stylesheet" href="'
    yield escape(context.call((undefined(name='asset') if l_0_asset is missing else l_0_asset), 'css/site.css'))
    yield '">\n'
    if context.call((undefined(name='asset') if l_0_asset is missing else l_0_asset), 'css/highlight.css'):
        pass
        yield '<link rel="stylesheet" href="'
        yield escape(context.call((undefined(name='asset') if l_0_asset is missing else l_0_asset), 'css/highlight.css'))
        yield '">\n'
    yield '<script src="'
    yield escape(context.call((undefined(name='asset') if l_0_asset is missing else l_0_asset), 'js/site.js'))
    yield '" defer></script>\n'
    yield from context.blocks['head'][0](context)
    yield escape(t_1((undefined(name='extra_head') if l_0_extra_head is missing else l_0_extra_head)))
    yield '\n</head>\n<body class="'
    yield from context.blocks['body_class'][0](context)
    yield '">\n<a class="skip-link" href="#main">Skip to content</a>\n<header class="site-header">\n  <div class="site-header-inner">\n    <a class="site-title" href="'
    yield escape(context.call((undefined(name='url') if l_0_url is missing else l_0_url), ''))
    yield '">'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</a>\n    <button class="theme-toggle" type="button" aria-label="Dark theme" aria-pressed="false" title="Switch between light and dark theme">\n      <svg class="icon-moon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M20.5 14.6A8.5 8.5 0 0 1 9.4 3.5a8.5 8.5 0 1 0 11.1 11.1z" fill="currentColor"/></svg>\n      <svg class="icon-sun" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="4.5" fill="currentColor"/><path d="M12 1.5v3M12 19.5v3M1.5 12h3M19.5 12h3M4.6 4.6l2.1 2.1M17.3 17.3l2.1 2.1M4.6 19.4l2.1-2.1M17.3 6.7l2.1-2.1" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>\n    </button>\n  </div>\n</header>\n<main id="main">\n'
    yield from context.blocks['main'][0](context)
    yield '</main>\n<footer class="site-footer">\n  <div class="site-footer-inner">\n'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'footer'):
        pass
        yield '<p>'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'footer'))
        yield '</p>'
    yield '    <p><a href="'
    yield escape(context.call((undefined(name='url') if l_0_url is missing else l_0_url), ''))
    yield '">'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</a> · <a href="'
    yield escape(context.call((undefined(name='url') if l_0_url is missing else l_0_url), (undefined(name='feed_path') if l_0_feed_path is missing else l_0_feed_path)))
    yield '">Atom feed</a></p>\n  </div>\n</footer>\n'
    yield from context.blocks['body_end'][0](context)
    yield '</body>\n</html>\n'

def block_title(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    pass
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))

def block_meta(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    pass
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'):
        pass
        yield '<meta name="description" content="'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))
        yield '">'

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_body_class(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_body_end(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

blocks = {'title': block_title, 'meta': block_meta, 'head': block_head, 'body_class': block_body_class, 'main': block_main, 'body_end': block_body_end}
debug_info = '2=23&8=25&9=27&13=29&14=33&15=35&16=38&18=41&19=43&20=44&22=46&26=48&34=52&38=54&39=60&42=66&8=69&9=80&10=89&19=95&22=104&34=113&42=122'
