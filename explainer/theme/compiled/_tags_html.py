# Generated from theme/templates/_tags.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '6512263fd00244f3ef99ca0b07ac384af494f5520ecf9ac69b37c716b074a823'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_tags.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_post = resolve('post')
    pass
    if (environment.getattr(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'meta'), 'tags') or environment.getattr(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'meta'), 'categories')):
        pass
        yield '<ul class="tag-list" aria-label="Tags and categories">\n'
        for l_1_c in environment.getattr(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'meta'), 'categories'):
            _loop_vars = {}
            pass
            yield '<li class="tag category">'
            yield escape(l_1_c)
            yield '</li>'
        l_1_c = missing
        for l_1_t in environment.getattr(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'meta'), 'tags'):
            _loop_vars = {}
            pass
            yield '<li class="tag">#'
            yield escape(l_1_t)
            yield '</li>'
        l_1_t = missing
        yield '</ul>\n'

blocks = {}
debug_info = '1=12&3=15&4=22'
