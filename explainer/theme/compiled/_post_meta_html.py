# Generated from theme/templates/_post_meta.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = 'd1112e981526b66c4fcdc075fdc7d66ad9ad683024e993386214a21bab47807a'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_post_meta.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_meta = resolve('meta')
    l_0_site = resolve('site')
    l_0_canonical = resolve('canonical')
    l_0_share_image = resolve('share_image')
    l_0_authors = resolve('authors')
    l_0_json_ld = resolve('json_ld')
    try:
        t_1 = environment.filters['atom_date']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'atom_date' found.")
    try:
        t_2 = environment.filters['scholar_date']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'scholar_date' found.")
    try:
        t_3 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    pass
    yield '<meta property="og:type" content="article">\n<meta property="og:title" content="'
    yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'title'))
    yield '">\n<meta property="og:description" content="'
    yield escape((environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'description') or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description')))
    yield '">\n<meta property="og:url" content="'
    yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
    yield '">\n<meta property="og:site_name" content="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '">\n'
    if (undefined(name='share_image') if l_0_share_image is missing else l_0_share_image):
        pass
        yield '<meta property="og:image" content="'
        yield escape((undefined(name='share_image') if l_0_share_image is missing else l_0_share_image))
        yield '">\n<meta property="og:image:alt" content="'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'title'))
        yield '">\n'
    yield '<meta name="twitter:card" content="'
    yield escape(('summary_large_image' if (undefined(name='share_image') if l_0_share_image is missing else l_0_share_image) else 'summary'))
    yield '">\n<meta name="twitter:title" content="'
    yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'title'))
    yield '">\n<meta name="twitter:description" content="'
    yield escape((environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'description') or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description')))
    yield '">\n'
    if (undefined(name='share_image') if l_0_share_image is missing else l_0_share_image):
        pass
        yield '<meta name="twitter:image" content="'
        yield escape((undefined(name='share_image') if l_0_share_image is missing else l_0_share_image))
        yield '">\n'
    yield '<meta property="article:published_time" content="'
    yield escape(t_1(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'date')))
    yield '">\n'
    for l_1_a in (undefined(name='authors') if l_0_authors is missing else l_0_authors):
        _loop_vars = {}
        pass
        yield '<meta property="article:author" content="'
        yield escape(environment.getattr(l_1_a, 'name'))
        yield '">\n'
    l_1_a = missing
    for l_1_t in environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'tags'):
        _loop_vars = {}
        pass
        yield '<meta property="article:tag" content="'
        yield escape(l_1_t)
        yield '">\n'
    l_1_t = missing
    yield '<meta name="citation_title" content="'
    yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'title'))
    yield '">\n'
    for l_1_a in (undefined(name='authors') if l_0_authors is missing else l_0_authors):
        _loop_vars = {}
        pass
        yield '<meta name="citation_author" content="'
        yield escape(environment.getattr(l_1_a, 'name'))
        yield '">\n'
        for l_2_aff in environment.getattr(l_1_a, 'affiliations'):
            _loop_vars = {}
            pass
            yield '<meta name="citation_author_institution" content="'
            yield escape(environment.getattr(l_2_aff, 'name'))
            yield '">\n'
        l_2_aff = missing
    l_1_a = missing
    yield '<meta name="citation_publication_date" content="'
    yield escape(t_2(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'date')))
    yield '">\n<meta name="citation_online_date" content="'
    yield escape(t_2(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'date')))
    yield '">\n<meta name="citation_fulltext_html_url" content="'
    yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
    yield '">\n<script type="application/ld+json">'
    yield escape(t_3(context.eval_ctx, (undefined(name='json_ld') if l_0_json_ld is missing else l_0_json_ld)))
    yield '</script>\n'

blocks = {}
debug_info = '3=36&4=38&5=40&6=42&7=44&8=47&9=49&11=52&12=54&13=56&14=58&15=61&17=64&18=66&19=70&21=73&22=77&24=81&25=83&26=87&27=89&28=93&31=98&32=100&33=102&34=104'
