/* live.js: the models that run in the page, and the views built on them.
 *
 * Part 1 (DOM-free, so tests can run it outside a browser): a small interpreter for the op lists
 * that explainer/models/oplist/jaxpr_export.py makes from any JAX decoder or encoder (the op set is
 * documented in explainer/models/oplist/program.py; program_run.py is its numpy twin). Loading a model
 * decodes its weights (float16 or float32, base64), allocates one Float32Array per value and turns
 * every op into a closure over its buffers, with index maps for data movement computed once; a
 * forward pass then only runs the closures. No allocation per pass, so the picture follows the
 * pointer with no worker and no library.
 * Part 2: the views. Images go to <canvas> in the theme's colours (ink = --text, paper = --bg);
 * Plotly is loaded only for the latent chart, through the theme's window.explainer.loadPlotly().
 */
var explainerRuntime = (function () {
  'use strict';

  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', B64I = new Int16Array(128).fill(-1);
  for (var c = 0; c < 64; c++) B64I[B64.charCodeAt(c)] = c;
  function bytes(b64) {  // base64 -> Uint8Array (own decoder: atob is missing outside browsers)
    var n = b64.length, pad = n && b64[n - 1] === '=' ? (b64[n - 2] === '=' ? 2 : 1) : 0;
    var out = new Uint8Array(n / 4 * 3 - pad), o = 0;
    for (var i = 0; i < n; i += 4) {
      var v = (B64I[b64.charCodeAt(i)] << 18) | (B64I[b64.charCodeAt(i + 1)] << 12) |
        ((B64I[b64.charCodeAt(i + 2)] & 63) << 6) | (B64I[b64.charCodeAt(i + 3)] & 63);
      out[o++] = v >> 16; if (o < out.length) out[o++] = (v >> 8) & 255; if (o < out.length) out[o++] = v & 255;
    }
    return out;
  }
  function half(h) {  // IEEE float16 bits -> number
    var e = (h >> 10) & 31, m = h & 1023, s = h & 32768 ? -1 : 1;
    if (e === 0) return s * m * 5.960464477539063e-8;  // subnormal: m · 2^-24
    if (e === 31) return m ? NaN : s * Infinity;
    return s * (1 + m / 1024) * Math.pow(2, e - 15);
  }
  function constant(c) {
    var b = bytes(c.data), n = size(c.shape), out = new Float32Array(n);
    if (c.dtype === 'f16') for (var i = 0; i < n; i++) out[i] = half(b[2 * i] | (b[2 * i + 1] << 8));
    else out.set(new Float32Array(b.buffer, 0, n));
    return out;
  }
  function size(shape) { return shape.reduce(function (a, b) { return a * b; }, 1); }
  function strides(shape) {
    var st = new Array(shape.length), k = 1;
    for (var a = shape.length - 1; a >= 0; a--) { st[a] = k; k *= shape[a]; }
    return st;
  }

  // out[i] = in[map[i]] (or `fill` where map is -1). tabs[a][c]: axis a at coordinate c contributes
  // that much to the input offset, or -1 for "no input here" (padding).
  function indexMap(shape, tabFor) {
    var n = size(shape), r = shape.length, map = new Int32Array(n), at = new Int32Array(r), tabs = [];
    for (var a = 0; a < r; a++) { var t = tabs[a] = new Int32Array(shape[a]); for (var k = 0; k < shape[a]; k++) t[k] = tabFor(a, k); }
    for (var i = 0; i < n; i++) {
      var off = 0;
      for (a = 0; a < r; a++) { var v = tabs[a][at[a]]; if (v < 0) { off = -1; break; } off += v; }
      map[i] = off;
      for (a = r - 1; a >= 0 && ++at[a] === shape[a]; a--) at[a] = 0;
    }
    return map;
  }
  function gather(x, y, map, fill) {
    return function () { for (var i = 0; i < y.length; i++) { var j = map[i]; y[i] = j < 0 ? fill : x[j]; } };
  }
  function broadcastMap(from, to) {  // numpy broadcasting between equal ranks
    var st = strides(from);
    return indexMap(to, function (a, k) { return from[a] === 1 ? 0 : k * st[a]; });
  }
  function operand(buf, shape, outShape) {  // how an elementwise op reads one operand
    if (size(shape) === size(outShape)) return { buf: buf, mode: 0 };
    if (buf.length === 1) return { buf: buf, mode: 1 };
    var lead = 0;  // only leading axes broadcast (a bias over an image's pixels): index i % length
    while (lead < shape.length && shape[lead] === 1) lead++;
    if (shape.slice(lead).join() === outShape.slice(lead).join()) return { buf: buf, mode: 3 };
    return { buf: buf, mode: 2, map: broadcastMap(shape, outShape) };
  }
  function erfc(x) {  // Numerical Recipes' Chebyshev fit, |error| < 1.2e-7
    var z = Math.abs(x), t = 1 / (1 + 0.5 * z), r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 +
      t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
  function roundAway(v) { return v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5); }
  var UNARY = {
    neg: function (v) { return -v; }, exp: Math.exp, log: Math.log, tanh: Math.tanh, abs: Math.abs, sqrt: Math.sqrt,
    logistic: function (v) { return 1 / (1 + Math.exp(-v)); }, relu: function (v) { return v > 0 ? v : 0; },
    rsqrt: function (v) { return 1 / Math.sqrt(v); }, sin: Math.sin, cos: Math.cos, log1p: Math.log1p, expm1: Math.expm1,
    floor: Math.floor, ceil: Math.ceil, sign: Math.sign, trunc: Math.trunc, square: function (v) { return v * v; },
    erf: function (v) { return 1 - erfc(v); }, erfc: erfc,
    gelu: function (v) { return 0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))); }
  };
  var BINARY = {
    add: function (a, b) { return a + b; }, sub: function (a, b) { return a - b; }, mul: function (a, b) { return a * b; },
    div: function (a, b) { return a / b; }, max: Math.max, min: Math.min, pow: Math.pow, atan2: Math.atan2,
    gt: function (a, b) { return a > b ? 1 : 0; }, ge: function (a, b) { return a >= b ? 1 : 0; },
    lt: function (a, b) { return a < b ? 1 : 0; }, le: function (a, b) { return a <= b ? 1 : 0; },
    eq: function (a, b) { return a === b ? 1 : 0; }, ne: function (a, b) { return a !== b ? 1 : 0; }
  };
  function read(o, i) {
    return o.mode === 0 ? o.buf[i] : o.mode === 1 ? o.buf[0] : o.mode === 3 ? o.buf[i % o.buf.length] : o.buf[o.map[i]];
  }

  // Each builder gets (op, input buffers, input shapes, output buffer, output shape) -> a step.
  var OPS = {
    matmul: function (op, x, s, y, shape, fixed) {  // fixed[i]: input i is a weight (never changes)
      var a = x[0], w = x[1], B = op.b, M = op.m, K = op.k, N = op.n, per = w.length === K * N ? 0 : K * N;
      var wt = new Float32Array(w.length);  // each output unit's weights in one row: read in order
      function transpose() {
        for (var o = 0; o < w.length; o += K * N)
          for (var k = 0; k < K; k++) for (var n = 0; n < N; n++) wt[o + n * K + k] = w[o + k * N + n];
      }
      if (fixed[1]) transpose();
      return function () {
        if (!fixed[1]) transpose();
        for (var b = 0; b < B; b++) for (var m = 0; m < M; m++) {
          var row = (b * M + m) * K, out = (b * M + m) * N;
          for (var n = 0; n < N; n++) {
            var acc = 0, r = b * per + n * K;
            for (var k = 0; k < K; k++) acc += a[row + k] * wt[r + k];
            y[out + n] = acc;
          }
        }
      };
    },
    conv: function (op, x, s, y, shape) {  // NHWC ⊛ HWIO with strides, padding, dilations, groups
      var a = x[0], w = x[1], H = s[0][1], W = s[0][2], C = s[0][3], KH = s[1][0], KW = s[1][1], CG = s[1][2], O = s[1][3];
      var OH = shape[1], OW = shape[2], G = op.groups, OG = O / G, acc = new Float64Array(O);
      var sh = op.strides[0], sw = op.strides[1], pt = op.pad[0][0], pl = op.pad[1][0];
      var dh = op.lhs_dil[0], dw = op.lhs_dil[1], rh = op.rhs_dil[0], rw = op.rhs_dil[1];
      return function () {
        for (var n = 0; n < shape[0]; n++) for (var oh = 0; oh < OH; oh++) for (var ow = 0; ow < OW; ow++) {
          acc.fill(0);
          for (var i = 0; i < KH; i++) {
            var vh = oh * sh - pt + i * rh; if (vh < 0 || vh % dh) continue;
            var ih = vh / dh; if (ih >= H) continue;
            for (var j = 0; j < KW; j++) {
              var vw = ow * sw - pl + j * rw; if (vw < 0 || vw % dw) continue;
              var iw = vw / dw; if (iw >= W) continue;
              var base = ((n * H + ih) * W + iw) * C, wk = (i * KW + j) * CG * O;
              for (var g = 0; g < G; g++) for (var c = 0; c < CG; c++) {
                var v = a[base + g * CG + c]; if (v === 0) continue;
                for (var q = g * OG, wo = wk + c * O; q < (g + 1) * OG; q++) acc[q] += v * w[wo + q];
              }
            }
          }
          y.set(acc, ((n * OH + oh) * OW + ow) * O);
        }
      };
    },
    transpose: function (op, x, s, y, shape) {
      var st = strides(s[0]);
      return gather(x[0], y, indexMap(shape, function (a, k) { return k * st[op.perm[a]]; }), 0);
    },
    broadcast: function (op, x, s, y, shape) {
      var st = strides(s[0]);
      return gather(x[0], y, indexMap(shape, function (a, k) {
        var p = op.dims.indexOf(a); return p < 0 || s[0][p] === 1 ? 0 : k * st[p];
      }), 0);
    },
    slice: function (op, x, s, y, shape) {
      var st = strides(s[0]);
      return gather(x[0], y, indexMap(shape, function (a, k) { return (op.start[a] + k * op.stride[a]) * st[a]; }), 0);
    },
    pad: function (op, x, s, y, shape) {
      var st = strides(s[0]);
      return gather(x[0], y, indexMap(shape, function (a, k) {
        var t = k - op.lo[a], e = op.interior[a] + 1;
        return t < 0 || t % e || t / e >= s[0][a] ? -1 : (t / e) * st[a];
      }), op.value);
    },
    rev: function (op, x, s, y, shape) {
      var st = strides(s[0]);
      return gather(x[0], y, indexMap(shape, function (a, k) { return (op.dims.indexOf(a) < 0 ? k : shape[a] - 1 - k) * st[a]; }), 0);
    },
    take: function (op, x, s, y, shape) {
      var st = strides(s[0]);
      return gather(x[0], y, indexMap(shape, function (a, k) { return (a === op.axis ? op.idx[k] : k) * st[a]; }), 0);
    },
    concat: function (op, x, s, y, shape) {
      var outer = size(shape.slice(0, op.axis)), total = size(shape.slice(op.axis));
      return function () {
        for (var t = 0, off = 0; t < x.length; t++) {
          var inner = size(s[t].slice(op.axis)), src = x[t];
          for (var o = 0; o < outer; o++) y.set(src.subarray(o * inner, (o + 1) * inner), o * total + off);
          off += inner;
        }
      };
    },
    select: function (op, x, s, y, shape) {
      var p = operand(x[0], s[0], shape), f = operand(x[1], s[1], shape), t = operand(x[2], s[2], shape);
      return function () { for (var i = 0; i < y.length; i++) y[i] = read(p, i) !== 0 ? read(t, i) : read(f, i); };
    },
    integer_pow: function (op, x, s, y) {
      var a = x[0], e = op.y;
      return function () { for (var i = 0; i < y.length; i++) y[i] = Math.pow(a[i], e); };
    },
    round: function (op, x, s, y) {
      var a = x[0];
      return function () {
        for (var i = 0; i < y.length; i++) {
          var v = a[i], r = roundAway(v);
          y[i] = op.even && Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
        }
      };
    }
  };
  ['sum', 'max', 'min'].forEach(function (name) {
    var start = { sum: 0, max: -Infinity, min: Infinity }[name], f = name === 'sum' ? BINARY.add : Math[name];
    OPS['reduce_' + name] = function (op, x, s, y, shape) {  // in -> out offset: reduced axes contribute nothing
      var ost = [], k = 1, src = x[0];
      for (var a = s[0].length - 1; a >= 0; a--) if (op.axes.indexOf(a) < 0) { ost[a] = k; k *= s[0][a]; } else ost[a] = 0;
      var map = indexMap(s[0], function (a, c) { return c * ost[a]; });
      return function () { y.fill(start); for (var i = 0; i < src.length; i++) y[map[i]] = f(y[map[i]], src[i]); };
    };
  });
  Object.keys(UNARY).forEach(function (name) {
    var f = UNARY[name];
    OPS[name] = function (op, x, s, y) { var a = x[0]; return function () { for (var i = 0; i < y.length; i++) y[i] = f(a[i]); }; };
  });
  Object.keys(BINARY).forEach(function (name) {
    var f = BINARY[name];
    OPS[name] = function (op, x, s, y, shape) {
      var a = operand(x[0], s[0], shape), b = operand(x[1], s[1], shape), A = x[0], B = x[1];
      if (a.mode === 0 && b.mode === 0) return function () { for (var i = 0; i < y.length; i++) y[i] = f(A[i], B[i]); };
      if (a.mode === 0 && b.mode === 1) return function () { var v = B[0]; for (var i = 0; i < y.length; i++) y[i] = f(A[i], v); };
      if (a.mode === 1 && b.mode === 0) return function () { var v = A[0]; for (var i = 0; i < y.length; i++) y[i] = f(v, B[i]); };
      if (a.mode === 0 && b.mode === 3) {
        return function () { for (var i = 0, n = B.length; i < y.length; i++) y[i] = f(A[i], B[i % n]); };
      }
      return function () { for (var i = 0; i < y.length; i++) y[i] = f(read(a, i), read(b, i)); };
    };
  });

  function load(payload) {  // payload: {format: 'ops/1', shapes, consts, ops, output}
    if (payload.format !== 'ops/1') throw new Error('live.js cannot run model format ' + payload.format);
    var shapes = payload.shapes, nc = payload.consts.length, bufs = [new Float32Array(size(shapes[0]))], steps = [];
    payload.consts.forEach(function (c) { bufs.push(constant(c)); });
    payload.ops.forEach(function (op, i) {
      var slot = 1 + nc + i, shape = shapes[slot], x = op.in.map(function (k) { return bufs[k]; });
      if (op.op === 'reshape') { bufs.push(x[0]); return; }  // same data, new shape: an alias
      if (!OPS[op.op]) throw new Error('live.js has no op ' + op.op);
      bufs.push(new Float32Array(size(shape)));
      var fixed = op.in.map(function (k) { return k > 0 && k <= nc; });
      steps.push(OPS[op.op](op, x, op.in.map(function (k) { return shapes[k]; }), bufs[slot], shape, fixed));
    });
    var input = bufs[0], output = bufs[payload.output];
    return {
      inputs: input.length, outputs: output.length, steps: steps.length,
      forward: function (x) {  // x: the input, flat -> the output, flat (valid until the next call)
        input.set(x.length === input.length ? x : Array.prototype.slice.call(x, 0, input.length));
        for (var k = 0; k < steps.length; k++) steps[k]();
        return output;
      }
    };
  }

  function benchmark(payload, n) {  // ms per forward pass, for the docs and the tests
    var model = load(payload), z = new Float32Array(model.inputs), now = typeof performance !== 'undefined' ?
      function () { return performance.now(); } : Date.now, t0 = now();
    for (var k = 0; k < n; k++) { z[0] = Math.sin(k); z[z.length - 1] = Math.cos(k); model.forward(z); }
    return (now() - t0) / n;
  }

  return { load: load, benchmark: benchmark, bytes: bytes };
})();

(function () {
  'use strict';
  if (typeof document === 'undefined') return;  // outside a page (tests): the runtime alone
  var bytes = explainerRuntime.bytes;

  // Models shared by several figures sit once in the page's registry; figures hold {ref: key}.
  var registry = null;
  function resolve(payload) {
    if (!payload.ref) return payload;
    if (!registry) {
      var script = document.querySelector('script.live-models');
      registry = script ? JSON.parse(script.textContent) : {};
    }
    return registry[payload.ref];
  }
  function loadModel(payload) { return explainerRuntime.load(resolve(payload)); }

  // ---- colours and drawing ------------------------------------------------------------------------
  var probe = document.createElement('canvas').getContext('2d');
  function rgb(css, fallback) {  // any CSS colour -> [r, g, b], by letting the canvas parse it
    probe.fillStyle = fallback; probe.fillStyle = css || fallback;
    probe.fillRect(0, 0, 1, 1);
    var d = probe.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2]];
  }
  function themeColours() {
    var st = getComputedStyle(document.documentElement), v = function (n) { return st.getPropertyValue(n).trim(); };
    return { ink: rgb(v('--text'), '#222'), paper: rgb(v('--bg'), '#fff'), muted: v('--muted') || '#777',
             border: v('--border') || '#ccc', accent: v('--accent') || '#4e79a7', text: v('--text') || '#222' };
  }
  var colours = themeColours();

  // Draw images (arrays of values in [0, 1], or bytes with scale 1/255) side by side in one canvas.
  function drawImages(canvas, images, shape, cols, scale) {
    var h = shape[0], w = shape[1], rows = Math.ceil(images.length / cols), gap = 1;
    var W = cols * (w + gap) - gap, H = rows * (h + gap) - gap;
    if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
    var ctx = canvas.getContext('2d'), img = ctx.createImageData(W, H), d = img.data;
    var ink = colours.ink, paper = colours.paper;
    for (var p = 0; p < W * H; p++) { d[4 * p] = paper[0]; d[4 * p + 1] = paper[1]; d[4 * p + 2] = paper[2]; d[4 * p + 3] = 255; }
    images.forEach(function (im, k) {
      var ox = (k % cols) * (w + gap), oy = Math.floor(k / cols) * (h + gap);
      for (var r = 0; r < h; r++) for (var c = 0; c < w; c++) {
        var v = Math.min(1, Math.max(0, im[r * w + c] * (scale || 1))), o = 4 * ((oy + r) * W + ox + c);
        for (var ch = 0; ch < 3; ch++) d[o + ch] = paper[ch] + v * (ink[ch] - paper[ch]);
      }
    });
    ctx.putImageData(img, 0, 0);
  }
  function split(u8, size) {  // concatenated images -> list of views
    var out = [];
    for (var o = 0; o < u8.length; o += size) out.push(u8.subarray(o, o + size));
    return out;
  }

  // ---- small DOM helpers ---------------------------------------------------------------------------
  function el(tag, attrs, parent) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    if (parent) parent.appendChild(e);
    return e;
  }
  function canvas(parent, label, cls) {
    var box = el('div', { class: 'lv-cell' + (cls ? ' ' + cls : '') }, parent);
    var c = el('canvas', { class: 'lv-canvas', role: 'img', 'aria-label': label }, box);
    if (label) el('div', { class: 'lv-label', text: label }, box);
    return c;
  }
  function slider(parent, label, min, max, step, value, onInput) {
    var row = el('label', { class: 'lv-slider' }, parent);
    el('span', { text: label }, row);
    var input = el('input', { type: 'range', min: min, max: max, step: step, value: value }, row);
    var out = el('output', { class: 'lv-readout' }, row);
    input.addEventListener('input', function () { onInput(+input.value, out); });
    onInput(+input.value, out);
    return input;
  }
  function buttons(parent, names, onPick, initial) {
    var group = el('div', { class: 'lv-buttons', role: 'group' }, parent), all = [];
    names.forEach(function (name, i) {
      var b = el('button', { type: 'button', class: 'lv-button', 'aria-pressed': i === (initial || 0) ? 'true' : 'false', text: name }, group);
      b.addEventListener('click', function () {
        all.forEach(function (o) { o.setAttribute('aria-pressed', o === b ? 'true' : 'false'); });
        onPick(i);
      });
      all.push(b);
    });
    return group;
  }
  function vec(list) { return Float32Array.from(list); }
  var redraws = [];  // called with fresh colours when the theme changes

  // ---- shareable state: the address #FIGURE-ID/key=value&… brings a live figure back as it was left --
  // Each view reads its starting values with get() and reports changes with set(); once the page is
  // built, changes update the address (replaceState: no history entries), so the link can be shared.
  var sharing = false, linked = parseFragment();
  function parseFragment() {
    var m = /^#([^/]+)\/(.+)$/.exec(location.hash), params = {};
    if (!m) return null;
    m[2].split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) params[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    return { id: decodeURIComponent(m[1]), params: params };
  }
  function stateOf(root) {
    var fig = root.closest('figure[id]'), own = fig && linked && linked.id === fig.id ? linked.params : {}, now = {}, timer = 0;
    return {
      get: function (key, fallback, min, max) {
        var v = parseFloat(own[key]);
        return isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
      },
      set: function (key, value) {
        if (now[key] === String(value)) return;  // a redraw (theme change) is not a change
        now[key] = String(value);
        if (!sharing || !fig) return;
        clearTimeout(timer);
        timer = setTimeout(function () {
          var q = Object.keys(now).map(function (k) { return k + '=' + now[k]; }).join('&');
          history.replaceState(history.state, '', '#' + encodeURIComponent(fig.id) + '/' + q);
        }, 250);
      }
    };
  }

  // ---- views ----------------------------------------------------------------------------------------
  var VIEWS = {};

  VIEWS['image-grid'] = function (root, data) {  // reconstructions, traversal grids
    var size = data.shape[0] * data.shape[1], draws = [];
    data.rows.forEach(function (row) {
      var line = el('div', { class: 'lv-row' }, root);
      if (row.label) el('div', { class: 'lv-label lv-row-label', text: row.label }, line);
      var imgs = split(bytes(row.images), size), c = el('canvas', { class: 'lv-canvas', role: 'img', 'aria-label': row.label || 'decoded images' }, line);
      c.addEventListener('pointermove', function (e) {  // which image is under the pointer
        var k = Math.floor((e.offsetX / c.clientWidth) * imgs.length);
        if (row.titles && row.titles[k]) c.title = row.titles[k];
      });
      draws.push(function () { drawImages(c, imgs, data.shape, imgs.length, 1 / 255); });
    });
    if (data.note) el('p', { class: 'figure-note', text: data.note }, root);
    var draw = function () { draws.forEach(function (f) { f(); }); };
    redraws.push(draw); draw();
  };

  VIEWS.latent = function (root, data) {  // Plotly scatter; hovering a point shows its images
    var size = data.shape[0] * data.shape[1], imgs = split(bytes(data.images), size), recs = split(bytes(data.recon), size);
    var panel = el('div', { class: 'lv-panel' }, root), chart = el('div', { class: 'lv-chart' }, panel);
    var side = el('div', { class: 'lv-side' }, panel);
    var cIn = canvas(side, 'input', 'lv-small'), cOut = canvas(side, 'reconstruction', 'lv-small'), shown = 0;
    var show = function (i) { shown = i; drawImages(cIn, [imgs[i]], data.shape, 1, 1 / 255); drawImages(cOut, [recs[i]], data.shape, 1, 1 / 255); };
    show(0); redraws.push(function () { show(shown); });
    whenVisible(chart, function () {
      plotly().then(function (Plotly) {
        // Nested keys: Plotly.newPlot ignores dotted ones, which left dark mode's first paint unthemed.
        var layout = window.explainer.themedLayout ? window.explainer.themedLayout(data.plot.layout)
          : Object.assign({}, data.plot.layout);
        return Plotly.newPlot(chart, data.plot.data, layout, { responsive: true, displaylogo: false, displayModeBar: false }).then(function () {
          chart.on('plotly_hover', function (e) { show(e.points[0].customdata); });
          keyboardPoints(chart, data.plot.data, show, function () { return shown; });
          chart.setAttribute('data-live-ready', '');
          redraws.push(function () { Plotly.relayout(chart, (window.explainer.themeLayout || plotTheme)(chart.layout)); });
        });
      }).catch(function () { chart.textContent = 'The chart needs plotly.js, which did not load.'; });
    });
  };

  // The latent chart from the keyboard: focus it, then the arrow keys step through the points (in
  // test-set order) and show each one's digit and hover label, as the pointer would.
  function keyboardPoints(chart, traces, show, current) {
    var where = {};  // test index -> [trace, point]
    traces.forEach(function (t, c) { (t.customdata || []).forEach(function (i, p) { where[i] = [c, p]; }); });
    var order = Object.keys(where).map(Number).sort(function (a, b) { return a - b; });
    if (!order.length) return;
    chart.setAttribute('tabindex', '0');
    chart.setAttribute('role', 'group');
    chart.setAttribute('aria-label', 'Scatter plot of the codes: use the left and right arrow keys to step through the points');
    chart.addEventListener('keydown', function (e) {
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
      if (!step) return;
      e.preventDefault();
      var k = (order.indexOf(current()) + step + order.length) % order.length, i = order[k];
      show(i);
      window.Plotly.Fx.hover(chart, [{ curveNumber: where[i][0], pointNumber: where[i][1] }]);
    });
  }

  VIEWS.explorer = function (root, data) {  // pointer on the latent plane -> decoded image
    var model = loadModel(data.model), ex = data.extent, z = new Float32Array(data.mean.length);
    var st = stateOf(root), mean = vec(data.mean), ax = data.axes.map(vec);
    var pos = [st.get('x', (ex[0] + ex[1]) / 2, ex[0], ex[1]), st.get('y', (ex[2] + ex[3]) / 2, ex[2], ex[3])];
    var panel = el('div', { class: 'lv-panel' }, root);
    var pad = el('canvas', { class: 'lv-pad', tabindex: '0', role: 'slider', 'aria-label': 'latent point: drag, or use the arrow keys' }, panel);
    var side = el('div', { class: 'lv-side' }, panel), out = canvas(side, 'decoded', 'lv-big');
    var readout = el('div', { class: 'lv-readout', 'aria-live': 'polite' }, side);
    if (data.note) el('p', { class: 'figure-note', text: data.note }, root);
    var frame = 0;
    function decode() {
      for (var i = 0; i < z.length; i++) z[i] = mean[i] + pos[0] * ax[0][i] + pos[1] * ax[1][i];
      drawImages(out, [model.forward(z)], data.shape, 1);
      readout.textContent = data.titles[0] + ' = ' + pos[0].toFixed(2) + (data.titles[1] ? ', ' + data.titles[1] + ' = ' + pos[1].toFixed(2) : '');
      pad.setAttribute('aria-valuetext', readout.textContent);
      st.set('x', pos[0].toFixed(3)); st.set('y', pos[1].toFixed(3));
      drawPad(); frame = 0;
    }
    function schedule() { if (!frame) frame = requestAnimationFrame(decode); }
    function drawPad() {
      var r = window.devicePixelRatio || 1, W = Math.round(pad.clientWidth * r) || 300, H = Math.round(pad.clientHeight * r) || 300;
      if (pad.width !== W || pad.height !== H) { pad.width = W; pad.height = H; }
      var g = pad.getContext('2d'), P = data.points, sx = W / (ex[1] - ex[0]), sy = H / (ex[3] - ex[2]);
      g.clearRect(0, 0, W, H); g.globalAlpha = 0.6;
      for (var k = 0; k < P.x.length; k++) {
        g.fillStyle = data.palette[(P.labels ? P.labels[k] : 0) % data.palette.length];
        g.fillRect((P.x[k] - ex[0]) * sx - 2 * r, (ex[3] - P.y[k]) * sy - 2 * r, 4 * r, 4 * r);
      }
      g.globalAlpha = 1; g.strokeStyle = colours.text; g.lineWidth = 1.5 * r;
      var cx = (pos[0] - ex[0]) * sx, cy = (ex[3] - pos[1]) * sy;
      g.beginPath(); g.arc(cx, cy, 7 * r, 0, 2 * Math.PI); g.moveTo(cx - 11 * r, cy); g.lineTo(cx + 11 * r, cy);
      g.moveTo(cx, cy - 11 * r); g.lineTo(cx, cy + 11 * r); g.stroke();
    }
    function moveTo(e) {
      var b = pad.getBoundingClientRect();
      pos[0] = ex[0] + Math.min(1, Math.max(0, (e.clientX - b.left) / b.width)) * (ex[1] - ex[0]);
      pos[1] = ex[3] - Math.min(1, Math.max(0, (e.clientY - b.top) / b.height)) * (ex[3] - ex[2]);
      schedule();
    }
    pad.addEventListener('pointerdown', function (e) { pad.setPointerCapture(e.pointerId); moveTo(e); });
    pad.addEventListener('pointermove', moveTo);  // mouse: hover is enough; touch: drag
    pad.addEventListener('keydown', function (e) {
      var step = e.shiftKey ? 0.1 : 0.02, dx = { ArrowLeft: -1, ArrowRight: 1 }[e.key] || 0, dy = { ArrowDown: -1, ArrowUp: 1 }[e.key] || 0;
      if (!dx && !dy) return;
      e.preventDefault();
      pos[0] = Math.min(ex[1], Math.max(ex[0], pos[0] + dx * step * (ex[1] - ex[0])));
      pos[1] = Math.min(ex[3], Math.max(ex[2], pos[1] + dy * step * (ex[3] - ex[2])));
      schedule();
    });
    redraws.push(decode); decode();
  };

  VIEWS.sliders = function (root, data) {  // one slider per latent dimension (in standard deviations)
    var model = loadModel(data.model), z = vec(data.mean), st = stateOf(root);
    var panel = el('div', { class: 'lv-panel' }, root), controls = el('div', { class: 'lv-controls lv-column' }, panel);
    var out = canvas(el('div', { class: 'lv-side' }, panel), 'decoded', 'lv-big');
    var draw = function () { drawImages(out, [model.forward(z)], data.shape, 1); };
    data.dims.forEach(function (dim) {
      var key = 'z' + (dim + 1);
      slider(controls, key, -data.range, data.range, 0.05, st.get(key, 0, -data.range, data.range), function (v, o) {
        z[dim] = data.mean[dim] + v * data.std[dim]; o.textContent = (v >= 0 ? '+' : '') + v.toFixed(2) + 'σ'; st.set(key, v.toFixed(2)); draw();
      });
    });
    redraws.push(draw); draw();
  };

  VIEWS.interpolate = function (root, data) {  // decoder path vs pixel blend between two images
    var model = loadModel(data.model), size = data.shape[0] * data.shape[1], st = stateOf(root);
    var pair = st.get('pair', 0, 0, data.pairs.length - 1) | 0, t = st.get('t', 0.5, 0, 1);
    var z = new Float32Array(data.pairs[0].za.length), blend = new Float32Array(size);
    var ends = data.pairs.map(function (p) { return { a: bytes(p.a), b: bytes(p.b), za: vec(p.za), zb: vec(p.zb) }; });
    if (data.pairs.length > 1) buttons(root, data.pairs.map(function (p) { return p.name; }), function (i) { pair = i; st.set('pair', i); draw(); }, pair);
    var controls = el('div', { class: 'lv-controls' }, root), row = el('div', { class: 'lv-panel lv-strip' }, root);
    var cA = canvas(row, 'start', 'lv-small'), cDec = canvas(row, 'decoder', 'lv-big'), cMix = canvas(row, 'pixel blend', 'lv-big'), cB = canvas(row, 'end', 'lv-small');
    function draw() {
      var e = ends[pair];
      for (var i = 0; i < z.length; i++) z[i] = (1 - t) * e.za[i] + t * e.zb[i];
      for (var p = 0; p < size; p++) blend[p] = ((1 - t) * e.a[p] + t * e.b[p]) / 255;
      drawImages(cDec, [model.forward(z)], data.shape, 1); drawImages(cMix, [blend], data.shape, 1);
      drawImages(cA, [e.a], data.shape, 1, 1 / 255); drawImages(cB, [e.b], data.shape, 1, 1 / 255);
    }
    slider(controls, 'start → end', 0, 1, 0.01, t, function (v, o) { t = v; o.textContent = v.toFixed(2); st.set('t', v.toFixed(2)); draw(); });
    redraws.push(draw);
  };

  function random(seed) {  // mulberry32: a tiny seeded generator, so a figure looks the same each visit
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0; var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function gaussians(n, seed) {  // a fixed pattern (Box-Muller): a slider scales it, so dragging is smooth
    var rand = random(seed), out = new Float32Array(n);
    for (var i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return out;
  }
  function uniforms(n, seed) { var rand = random(seed), out = new Float32Array(n); for (var i = 0; i < n; i++) out[i] = rand(); return out; }

  VIEWS.denoise = function (root, data) {  // noisy digit -> encoder -> decoder, live
    var enc = loadModel(data.encoder), dec = loadModel(data.decoder), size = data.shape[0] * data.shape[1];
    var digits = split(bytes(data.digits), size), st = stateOf(root), x = new Float32Array(size), shown = new Float32Array(size);
    var pick = st.get('digit', 0, 0, digits.length - 1) | 0, level = st.get('noise', data.noise, 0, 1);
    var mask = data.noise_type === 'mask', eps = (mask ? uniforms : gaussians)(size * digits.length, 7);
    buttons(root, data.names, function (i) { pick = i; st.set('digit', i); draw(); }, pick);
    var controls = el('div', { class: 'lv-controls' }, root), row = el('div', { class: 'lv-panel lv-strip' }, root);
    var cClean = canvas(row, 'clean', 'lv-big'), cNoisy = canvas(row, 'noisy input', 'lv-big'), cOut = canvas(row, 'denoised', 'lv-big');
    function draw() {
      var d = digits[pick];
      for (var p = 0; p < size; p++) {
        var v = d[p] / 255, e = eps[pick * size + p];
        x[p] = mask ? (e >= level ? v : 0) : v + level * e;  // the corruption the DAE was trained on
        shown[p] = x[p];
      }
      drawImages(cClean, [d], data.shape, 1, 1 / 255); drawImages(cNoisy, [shown], data.shape, 1);
      drawImages(cOut, [dec.forward(enc.forward(x))], data.shape, 1);
    }
    slider(controls, mask ? 'masked share' : 'noise σ', 0, 1, 0.01, level, function (v, o) {
      level = v; o.textContent = v.toFixed(2) + ' (trained at ' + data.trained_noise + ')'; st.set('noise', v.toFixed(2)); draw();
    });
    redraws.push(draw);
  };

  VIEWS.samples = function (root, data) {  // decode z = T·ε from the VAE prior
    var model = loadModel(data.model), d = data.latent_dim, st = stateOf(root), eps, z = new Float32Array(d);
    var T = st.get('T', data.temperature, 0, 3), seed = st.get('seed', 1, 1, 1e9) | 0;
    var controls = el('div', { class: 'lv-controls' }, root), out = el('canvas', { class: 'lv-canvas', role: 'img', 'aria-label': 'samples' }, root);
    function draw() {
      var imgs = [];
      for (var k = 0; k < data.count; k++) {
        for (var i = 0; i < d; i++) z[i] = T * eps[k * d + i];
        imgs.push(Float32Array.from(model.forward(z)));
      }
      drawImages(out, imgs, data.shape, data.per_row);
    }
    eps = gaussians(d * data.count, seed);
    slider(controls, 'temperature', 0, 3, 0.05, T, function (v, o) { T = v; o.textContent = v.toFixed(2); st.set('T', v.toFixed(2)); draw(); });
    var again = el('button', { type: 'button', class: 'lv-button', text: 'new samples' }, controls);
    again.addEventListener('click', function () { eps = gaussians(d * data.count, ++seed); st.set('seed', seed); draw(); });
    redraws.push(draw);
  };

  // ---- Plotly (latent chart only), visibility, theme ------------------------------------------------
  function plotly() {
    if (window.explainer && window.explainer.loadPlotly) return window.explainer.loadPlotly();
    return window.Plotly ? Promise.resolve(window.Plotly) : Promise.reject(new Error('no plotly.js'));
  }
  function plotTheme() {
    var grid = colours.border;
    return { 'font.color': colours.text, 'xaxis.gridcolor': grid, 'yaxis.gridcolor': grid,
             'font.family': getComputedStyle(document.body).fontFamily };
  }
  function whenVisible(node, run) {  // near the viewport, or earlier in an idle moment (site.js)
    var done = false, once = function () { if (!done) { done = true; if (io) io.disconnect(); run(); } };
    if (!('IntersectionObserver' in window)) return once();
    var io = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) once();
    }, { rootMargin: '400px' });
    io.observe(node);
    if (window.explainer && window.explainer.whenIdleAfterPlotly) window.explainer.whenIdleAfterPlotly(once);
  }
  function onTheme() { colours = themeColours(); redraws.forEach(function (f) { f(); }); }
  document.addEventListener('explainer:theme', onTheme);
  new MutationObserver(onTheme).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

  var CSS = '.lv-panel{display:flex;flex-wrap:wrap;gap:.75em 1.25em;align-items:flex-start;max-width:100%}.lv-panel>*{min-width:0}' +
    '.lv-row{display:flex;align-items:center;gap:.75em;margin:.2em 0}.lv-row .lv-canvas{flex:1 1 0;min-width:0}' +
    '.lv-canvas{display:block;width:100%;height:auto;image-rendering:pixelated;border:1px solid var(--border,#ccc);border-radius:3px;background:var(--bg,#fff)}' +
    '.lv-label{font-size:.75em;color:var(--muted,#777);text-align:center}.lv-row-label{flex:0 0 6.5em;text-align:right}' +
    '.lv-cell{flex:0 1 9em}.lv-small{flex-basis:4.5em}.lv-big{flex-basis:9em}.lv-side{display:flex;flex-direction:column;gap:.5em;flex:0 1 10em}' +
    '.lv-side .lv-small{flex-basis:auto;width:6em}' +
    '.lv-chart{flex:1 1 300px;min-width:0;height:360px}.lv-chart:focus-visible{outline:2px solid var(--accent,#4e79a7);outline-offset:2px}.lv-pad{flex:1 1 260px;min-width:0;width:100%;max-width:380px;aspect-ratio:1;touch-action:none;cursor:crosshair;' +
    'border:1px solid var(--border,#ccc);border-radius:4px;background:var(--card-bg,transparent)}.lv-pad:focus-visible{outline:2px solid var(--accent,#4e79a7)}' +
    '.lv-controls{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center;font-size:.8em;margin:.4em 0}.lv-column{flex-direction:column;align-items:stretch;flex:1 1 240px}' +
    '.lv-slider{display:flex;align-items:center;gap:.6em;flex:1 1 14em}.lv-slider input{flex:1;min-width:6em;accent-color:var(--accent,#4e79a7)}' +
    '.lv-readout{font-variant-numeric:tabular-nums;color:var(--muted,#777);font-size:.85em;min-width:4.5em}' +
    '.lv-buttons{display:flex;flex-wrap:wrap;gap:.3em;margin:.3em 0}.lv-button{font:inherit;font-size:.8em;padding:.2em .6em;border:1px solid var(--border,#ccc);' +
    'border-radius:3px;background:var(--card-bg,transparent);color:var(--text,inherit);cursor:pointer}.lv-button[aria-pressed=true]{border-color:var(--accent,#4e79a7);color:var(--accent,#4e79a7)}';

  function init() {
    if (!document.getElementById('lv-style')) el('style', { id: 'lv-style', text: CSS }, document.head);
    colours = themeColours();
    document.querySelectorAll('.live-view[data-live]:not([data-live-ready])').forEach(function (root) {
      var view = VIEWS[root.getAttribute('data-live')], script = root.querySelector('script.live-data');
      if (!view || !script) return;
      root.setAttribute('data-live-ready', '');
      view(root, JSON.parse(script.textContent));
    });
    redraws.forEach(function (f) { f(); });
    sharing = true;
    var target = linked && document.getElementById(linked.id);
    if (target && !init.scrolled) {  // the address names no element: scroll to the figure ourselves,
      init.scrolled = true;          // and again once images above it have loaded and moved it
      target.scrollIntoView();
      window.addEventListener('load', function () { target.scrollIntoView(); }, { once: true });
    }
  }

  function benchmark(payload, n) { return explainerRuntime.benchmark(resolve(payload), n); }

  window.explainer = window.explainer || {};
  window.explainer.live = { loadModel: loadModel, benchmark: benchmark, init: init };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
