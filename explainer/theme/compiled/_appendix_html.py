# Generated from theme/templates/_appendix.html by tests/site/test_compiled_templates.py
# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.
SOURCE_SHA256 = '8e4c1ec64f187998fc1bb3e20aaaa569c607ad7c4f3993cccd1aee0ad5d9fc88'
JINJA_VERSION = '3.1.6'
ENV_OPTIONS = "('{%', '%}', '{{', '}}', '{#', '#}', None, None, True, True, '\\n', True, True, True, 'StrictUndefined', [])"
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_appendix.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_page = resolve('page')
    try:
        t_1 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    pass
    if ((environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'footnotes') or environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'references')) or environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'citation')):
        pass
        yield '<section class="d-appendix grid" aria-label="Appendix">\n'
        if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'footnotes'):
            pass
            yield '  <h3 id="appendix-footnotes">Footnotes</h3>\n  <ol class="footnotes-list">\n'
            for l_1_fn in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'footnotes'):
                _loop_vars = {}
                pass
                yield '    <li id="'
                yield escape(environment.getattr(l_1_fn, 'id'))
                yield '" value="'
                yield escape(environment.getattr(l_1_fn, 'number'))
                yield '">'
                yield escape(t_1(environment.getattr(l_1_fn, 'html')))
                yield ' <a class="footnote-backref" href="#'
                yield escape(environment.getattr(l_1_fn, 'ref_id'))
                yield '" aria-label="Back to footnote '
                yield escape(environment.getattr(l_1_fn, 'number'))
                yield ' in the text">↩</a></li>\n'
            l_1_fn = missing
            yield '  </ol>\n'
        if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'references'):
            pass
            yield '  <h3 id="appendix-references">References</h3>\n  <ol class="references">\n'
            for l_1_ref in environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'references'):
                _loop_vars = {}
                pass
                yield '    <li id="ref-'
                yield escape(environment.getattr(l_1_ref, 'key'))
                yield '">'
                yield escape(t_1(environment.getattr(l_1_ref, 'html')))
                yield '</li>\n'
            l_1_ref = missing
            yield '  </ol>\n'
        if environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'citation'):
            pass
            yield '  <h3 id="appendix-citation">Citation</h3>\n  <div class="citation-block">\n    <p>For attribution in academic contexts, please cite this work as</p>\n    <pre class="citation-short">'
            yield escape(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'citation'), 'short'))
            yield '</pre>\n    <p>BibTeX citation</p>\n    <div class="code-block" data-lang="bibtex"><pre class="highlight"><code>'
            yield escape(environment.getattr(environment.getattr((undefined(name='page') if l_0_page is missing else l_0_page), 'citation'), 'bibtex'))
            yield '</code></pre></div>\n  </div>\n'
        yield '</section>\n'

blocks = {}
debug_info = '1=18&3=21&6=24&7=28&11=40&14=43&15=47&19=53&23=56&25=58'
