# Generated from theme/templates/_toc.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '5a459962c1749dde33e8e64c210c2cbcc4f005d5eb480f003c8744ae101a029d'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_toc.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_page = resolve('page')
    l_0_toc_list = missing
    pass
    def macro(l_1_items):
        t_1 = []
        if l_1_items is missing:
            l_1_items = undefined("parameter 'items' was not provided", name='items')
        pass
        t_1.append(
            '<ol>\n',
        )
        for l_2_item in l_1_items:
            _loop_vars = {}
            pass
            t_1.extend((
                '  <li><a href="#',
                escape(environment.getattr(l_2_item, 'id')),
                '">',
                escape(environment.getattr(l_2_item, 'text')),
                '</a>\n',
            ))
            if environment.getattr(l_2_item, 'children'):
                pass
                t_1.append(
                    escape(context.call((undefined(name='toc_list') if l_0_toc_list is missing else l_0_toc_list), environment.getattr(l_2_item, 'children'), _loop_vars=_loop_vars)),
                )
            t_1.append(
                '  </li>\n',
            )
        l_2_item = missing
        t_1.append(
            '</ol>\n',
        )
        return concat(t_1)
    context.exported_vars.add('toc_list')
    context.vars['toc_list'] = l_0_toc_list = Macro(environment, macro, 'toc_list', ('items',), False, False, False, context.eval_ctx.autoescape)
    yield '<nav class="toc l-body" aria-labelledby="toc-title">\n  <div class="toc-title" id="toc-title">Contents</div>\n  '
    yield escape(context.call((undefined(name='toc_list') if l_0_toc_list is missing else l_0_toc_list), environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'toc')))
    yield '\n</nav>\n'

blocks = {}
debug_info = '1=13&3=21&4=26&5=31&12=47'
