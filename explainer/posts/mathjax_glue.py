"""The JavaScript that mathjax_engine evaluates around MathJax's own components.

Kept apart from the engine so each reads on its own: this is what runs inside V8, the engine is
how Python drives it. Both strings are %-formatted by the engine (`%(packages)s`, `%(em)s`...).

The glue exists to make a page one crossing into V8, not one per formula: every eval from Python
costs a thread hand-off and a copy of the result, which measured ~0.4 ms of CPU per formula on top
of MathJax's ~1 ms (bench/math_speed.py). `renderPage` typesets a whole page and returns JSON.
"""

# MathJax's configuration, set before its components are evaluated; its loader is stubbed so any
# attempt to load a file at run time throws (everything is evaluated up front, nothing is fetched).
HOLD_BACK_STARTUP = """
var MathJax = {
  loader: {
    load: [], ready: function () {},
    require: function (file) { throw new Error('MathJax tried to load ' + file + ' at run time'); },
    failed: function (error) { throw error; }
  },
  startup: {typeset: false},
  tex: {packages: %(packages)s, tags: 'ams',
        formatError: function (jax, err) { throw err; }},
  svg: {fontCache: 'global'}
};
"""

GLUE = """
var Explainer = (function () {
  var adaptor = MathJax.startup.adaptor;
  var output = MathJax.startup.output;
  var input = MathJax.startup.input[0];
  var tags = function () { return input.parseOptions.tags; };
  var texOptions = function () { return input.parseOptions.options; };
  // The maps a formula adds to: \\newcommand, \\def, \\let, \\newenvironment... (newcommand),
  // \\DeclareMathOperator (ams), \\DeclarePairedDelimiter (mathtools). The parser's own handlers
  // hold them (MapHandler.getMap names other copies).
  var pageMaps = ['new-Command', 'new-Delimiter', 'new-Environment', 'ams-declare-ops',
                  'mathtools-paired-delims'];
  var getMap = function (name) { return input.parseOptions.handlers.retrieve(name); };
  // Commands that change what later formulas of the page mean without going through the
  // definition maps below (colours, tag forms, options, packages): a page that uses one is
  // typeset formula by formula from there on, never from the memo.
  var MUTATORS = /require|definecolor|tagform|mathtoolsset|setOptions|newgathered|Newextarrow|newenvironment/;

  // Every definition goes through `add` of one of those maps: counted, a formula that defines
  // something is known to change the page.
  var definitions = 0;
  pageMaps.forEach(function (name) {
    var map = getMap(name);
    if (!map) { return; }
    var add = map.add;
    map.add = function () { definitions++; return add.apply(this, arguments); };
  });

  // \\ref, \\eqref and \\label read the page's labels: a formula that does depends on the page.
  var labelReads = 0;
  var watchLabels = function () {
    var t = tags();
    t.allLabels = new Proxy(t.allLabels, {get: function (all, key) { labelReads++; return all[key]; }});
  };

  // The glyph shapes ('global' font cache): MathJax adds each shape to one shared <defs> the first
  // time it is used, and a formula refers to it by an id that depends only on font and character.
  // The cache is never cleared: each shape crosses into Python once per engine (`fresh`), and
  // Python assembles a page's <defs> from the ids each formula used (`used`, in first-use order,
  // which is the order MathJax itself would have added them to an empty page).
  var fontCache = output.fontCache, cachePath = fontCache.cachePath;
  var used = null, usedSet = null, fresh = {};
  fontCache.cachePath = function (variant, c, path) {
    var size = this.cache.size;
    var id = cachePath.call(this, variant, c, path);
    if (this.cache.size !== size) { fresh[id] = adaptor.outerHTML(adaptor.lastChild(this.defs)); }
    if (used !== null && !usedSet.has(id)) { usedSet.add(id); used.push(id); }
    return id;
  };

  // Forget what the last page left behind. texReset() resets numbers and labels but keeps
  // definitions, so their maps are cleared by hand.
  var beginPage = function () {
    MathJax.texReset();
    watchLabels();
    pageMaps.forEach(function (name) { var m = getMap(name); if (m) { m.map.clear(); } });
    texOptions().ignoreDuplicateLabels = false;
  };

  // One formula. `counter`: the equation number to continue from, when it is typeset again.
  var typeset = function (tex, display, counter) {
    var saved = tags().allCounter;
    if (counter !== null) { tags().allCounter = counter; }
    try {
      for (var attempt = 0; ; attempt++) {
        used = []; usedSet = new Set();
        try {
          var node = MathJax.tex2svg(tex, {display: display, em: %(em)s, ex: %(ex)s,
                                           containerWidth: %(width)s});
          return {html: adaptor.outerHTML(node), glyphs: used, unresolved: tags().redo, counter: saved};
        } catch (err) {
          // The first \\require of a package with preprocessors asks MathJax to start the formula
          // over (it would load files; here they are in already): typeset it once more.
          if (attempt === 0 && String(err.message) === 'MathJax retry') { continue; }
          return {error: String(err.message || err), id: String(err.id || err.name || '')};
        }
      }
    } finally {
      used = usedSet = null;
      if (counter !== null) { tags().allCounter = saved; }
    }
  };

  // A formula typeset on a page that has defined nothing is `pure` when it read no label, took no
  // equation number and defined nothing: then its markup is the same on any such page, and a later
  // page may reuse it without typesetting it (and without missing a change of state).
  var pageFormula = function (tex, display, clean) {
    var defs = definitions, reads = labelReads, counter = tags().allCounter;
    var r = typeset(tex, display, null);
    var changed = definitions !== defs || MUTATORS.test(tex);
    r.pure = clean && !changed && !r.error && !r.unresolved && labelReads === reads
      && tags().allCounter === counter;
    return [r, changed];
  };

  return {
    beginPage: beginPage,
    render: function (tex, display, counter) { return JSON.stringify(typeset(tex, display, counter)); },
    // A page: `macros` [[name, \\newcommand…]], `items` [[tex, display, memoized]]. A memoized
    // formula is skipped (null) while the page is still as clean as a fresh one. With `resolve`,
    // formulas with forward references are typeset again once every label is known.
    renderPage: function (macros, items, resolve) {
      beginPage();
      var failures = [], macroGlyphs = [];
      var clean = !macros.some(function (m) { return MUTATORS.test(m[1]); });
      macros.forEach(function (m) {
        var r = typeset(m[1], false, null);
        if (r.error) { failures.push([m[0], r.error]); } else { macroGlyphs = macroGlyphs.concat(r.glyphs); }
      });
      var results = items.map(function (item) {
        if (item[2] && clean) { return null; }
        var out = pageFormula(item[0], item[1], clean);
        if (out[1]) { clean = false; }
        return out[0];
      });
      var unresolved = function (r) { return r !== null && r.unresolved; };
      if (resolve && failures.length === 0 && results.some(unresolved)) {
        // Now every label is known; typesetting a formula again must not count its own \\label
        // as a duplicate. Each starts from the equation number it started from the first time.
        texOptions().ignoreDuplicateLabels = true;
        try {
          results = results.map(function (r, i) {
            if (!unresolved(r)) { return r; }
            var again = typeset(items[i][0], items[i][1], r.counter);
            again.first = r.glyphs;
            return again;
          });
        } finally {
          texOptions().ignoreDuplicateLabels = false;
        }
      }
      var labels = results.some(unresolved) ? tags().allLabels : null;
      var json = JSON.stringify({results: results, failures: failures, macroGlyphs: macroGlyphs,
                                 glyphs: fresh, labels: labels});
      fresh = {};  // now Python has them (with those that single `render` calls added before)
      return json;
    },
    allowRelabel: function (yes) { texOptions().ignoreDuplicateLabels = yes; },
    labels: function () { return JSON.stringify(tags().allLabels); },
    stylesheet: function () { return adaptor.textContent(MathJax.svgStylesheet()); }
  };
})();
"""
