# Generated from theme/templates/_byline.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = 'd9de96aa1d14f761eec10808209f7758a2a69b71b69b150e486f9ee90e391078'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_byline.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_authors = resolve('authors')
    l_0_affiliations = resolve('affiliations')
    l_0_meta = resolve('meta')
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
    try:
        t_3 = environment.filters['safe_url']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'safe_url' found.")
    pass
    yield '<div class="d-byline grid">\n  <div class="byline">\n'
    if (undefined(name='authors') if l_0_authors is missing else l_0_authors):
        pass
        yield '    <div class="authors-affiliations'
        if (not (undefined(name='affiliations') if l_0_affiliations is missing else l_0_affiliations)):
            pass
            yield ' no-affiliations'
        yield '">\n      <p class="byline-label">Authors</p>\n'
        if (undefined(name='affiliations') if l_0_affiliations is missing else l_0_affiliations):
            pass
            yield '<p class="byline-label">Affiliations</p>'
        l_1_loop = missing
        for l_1_a, l_1_loop in LoopContext((undefined(name='authors') if l_0_authors is missing else l_0_authors), undefined):
            _loop_vars = {}
            pass
            yield '      <p class="author">'
            if environment.getattr(l_1_a, 'url'):
                pass
                yield '<a class="name" href="'
                yield escape(t_3(environment.getattr(l_1_a, 'url')))
                yield '">'
                yield escape(environment.getattr(l_1_a, 'name'))
                yield '</a>'
            else:
                pass
                yield '<span class="name">'
                yield escape(environment.getattr(l_1_a, 'name'))
                yield '</span>'
            yield '</p>\n'
            if (undefined(name='affiliations') if l_0_affiliations is missing else l_0_affiliations):
                pass
                yield '      <p class="affiliations">\n'
                l_2_loop = missing
                for l_2_aff, l_2_loop in LoopContext(environment.getattr(l_1_a, 'affiliations'), undefined):
                    _loop_vars = {}
                    pass
                    if environment.getattr(l_2_aff, 'url'):
                        pass
                        yield '<a class="affiliation" href="'
                        yield escape(t_3(environment.getattr(l_2_aff, 'url')))
                        yield '">'
                        yield escape(environment.getattr(l_2_aff, 'name'))
                        yield '</a>'
                    else:
                        pass
                        yield '<span class="affiliation">'
                        yield escape(environment.getattr(l_2_aff, 'name'))
                        yield '</span>'
                    if (not environment.getattr(l_2_loop, 'last')):
                        pass
                        yield ', '
                l_2_loop = l_2_aff = missing
                yield '      </p>\n'
        l_1_loop = l_1_a = missing
        yield '    </div>\n'
    yield '    <div class="published">\n      <p class="byline-label">Published</p>\n      <p><time datetime="'
    yield escape(t_1(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'date')))
    yield '">'
    yield escape(t_2(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'date')))
    yield '</time></p>\n    </div>\n  </div>\n</div>\n'

blocks = {}
debug_info = '3=33&4=36&6=40&7=44&8=48&9=61&11=65&12=68&21=88'
