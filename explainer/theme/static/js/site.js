/* explainer site behaviour. The article reads fine without any of this: it only adds the theme
   toggle, tap/keyboard hover cards, copy buttons, lazy Plotly charts and file:// link fixes.
   Public API: window.explainer = {loadPlotly(): Promise<Plotly>, theme(): "light" | "dark"}
   and a document event "explainer:theme" with detail {theme} whenever the theme changes. */
(function () {
  "use strict";
  var root = document.documentElement;
  var STORAGE_KEY = "explainer-theme";

  /* ---------- theme ---------------------------------------------------------------------------- */
  function currentTheme() {
    return root.getAttribute("data-theme") === "dark" ? "dark" : "light";
  }

  function remember(theme) {
    try { localStorage.setItem(STORAGE_KEY, theme); } catch (e) { /* private mode: not remembered */ }
  }

  function rememberedTheme() {
    try { return localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }

  function applyTheme(theme) {
    root.setAttribute("data-theme", theme);
    document.querySelectorAll(".theme-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    });
    document.dispatchEvent(new CustomEvent("explainer:theme", { detail: { theme: theme } }));
  }

  function setUpThemeToggle() {
    applyTheme(currentTheme());
    document.querySelectorAll(".theme-toggle").forEach(function (button) {
      button.addEventListener("click", function () {
        var next = currentTheme() === "dark" ? "light" : "dark";
        remember(next);
        applyTheme(next);
      });
    });
    // Follow the system while the reader has not chosen a theme here.
    var query = window.matchMedia && matchMedia("(prefers-color-scheme: dark)");
    if (query && query.addEventListener) {
      query.addEventListener("change", function (event) {
        var saved = rememberedTheme();
        if (saved !== "light" && saved !== "dark") applyTheme(event.matches ? "dark" : "light");
      });
    }
  }

  /* ---------- hover cards (citations, footnotes, cross-references) ------------------------------ */
  var CARD_HOSTS = ".citation, .footnote-ref, .xref";
  var lastPointer = "mouse";

  function closeCards(except) {
    document.querySelectorAll(".citation.open, .footnote-ref.open, .xref.open").forEach(function (host) {
      if (host !== except) host.classList.remove("open");
    });
  }

  // Shift a card sideways so it stays inside the window (phones use a CSS bottom sheet instead).
  function keepOnScreen(host) {
    var card = host.querySelector(".hover-card");
    if (!card) return;
    card.style.setProperty("--card-shift", "0px");
    var rect = card.getBoundingClientRect();
    if (!rect.width || getComputedStyle(card).position === "fixed") return;
    var margin = 12, shift = 0;
    if (rect.left < margin) shift = margin - rect.left;
    else if (rect.right > innerWidth - margin) shift = innerWidth - margin - rect.right;
    card.style.setProperty("--card-shift", shift + "px");
  }

  // A cross-reference's card is completed from its target the first time it opens: the figure's
  // picture (its print/fallback image, or the image itself), or the equation (a copy of it).
  function stripIds(node) {
    node.removeAttribute("id");
    node.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    node.querySelectorAll("a").forEach(function (a) { a.removeAttribute("href"); a.setAttribute("tabindex", "-1"); });
    return node;
  }

  function completeXrefCard(host) {
    if (!host.classList.contains("xref") || host.dataset.completed) return;
    host.dataset.completed = "1";
    var link = host.querySelector("a.xref-link");
    var target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    if (host.classList.contains("xref-eq")) {
      var display = target.closest(".math-display") || target.closest("mjx-container");
      if (!display) return;
      var card = document.createElement("span");
      card.className = "hover-card xref-card xref-card-eq";
      card.setAttribute("role", "tooltip");
      card.appendChild(stripIds(display.cloneNode(true)));
      host.appendChild(card);
      return;
    }
    var picture = target.querySelector("img.figure-print, svg.chart-fallback, .figure-body img, :scope > img, :scope > a > img");
    var existing = host.querySelector(".hover-card");
    if (picture && existing) {
      var media = document.createElement("span");
      media.className = "xref-card-media";
      var img = stripIds(picture.cloneNode(true));
      img.removeAttribute("loading");
      if (img.tagName === "IMG") img.alt = ""; else img.setAttribute("aria-hidden", "true");
      media.appendChild(img);
      existing.insertBefore(media, existing.firstChild);
    }
  }

  function setUpHoverCards() {
    document.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType || "mouse";
      if (!event.target.closest(CARD_HOSTS)) closeCards(null);
    }, true);
    document.querySelectorAll(CARD_HOSTS).forEach(function (host) {
      if (host.parentElement && host.parentElement.closest(".hover-card")) return;  // a reference inside a card
      host.addEventListener("mouseenter", function () { completeXrefCard(host); keepOnScreen(host); });
      host.addEventListener("focusin", function () { completeXrefCard(host); keepOnScreen(host); });
      host.addEventListener("mouseleave", function () { host.classList.remove("dismissed"); });
      host.addEventListener("focusout", function () { host.classList.remove("dismissed"); });
      host.addEventListener("click", function (event) {
        if (lastPointer !== "touch" && lastPointer !== "pen") return;
        // First tap opens the card; a second tap on the marker follows the link.
        if (!host.classList.contains("open") && !event.target.closest(".hover-card")) {
          event.preventDefault();
          closeCards(host);
          completeXrefCard(host);
          host.classList.add("open");
          keepOnScreen(host);
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      closeCards(null);
      // Keyboard focus keeps :focus-within true; "dismissed" hides the card until focus leaves.
      var focused = document.activeElement && document.activeElement.closest(CARD_HOSTS);
      if (focused) focused.classList.add("dismissed");
      document.querySelectorAll(CARD_HOSTS).forEach(function (host) {
        if (host.matches(":hover")) host.classList.add("dismissed");
      });
    });
  }

  /* ---------- copy buttons on code blocks -------------------------------------------------------- */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.cssText = "position:fixed;top:0;left:0;opacity:0;";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function setUpCopyButtons() {
    document.querySelectorAll(".code-block").forEach(function (block) {
      var code = block.querySelector("pre");
      if (!code || block.querySelector(".copy-button")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code to clipboard");
      button.addEventListener("click", function () {
        copyText(codeText(code)).then(function () {
          flash(button, "Copied");
        }, function () {
          flash(button, "Press Ctrl+C");
        });
      });
      block.appendChild(button);
    });
  }

  // The code without its line numbers (which are there to read, not to paste).
  function codeText(pre) {
    var clone = pre.cloneNode(true);
    clone.querySelectorAll(".linenos").forEach(function (n) { n.remove(); });
    return clone.textContent.replace(/\n$/, "");
  }

  function flash(button, label) {
    button.textContent = label;
    button.classList.add("copied");
    clearTimeout(button._timer);
    button._timer = setTimeout(function () {
      button.textContent = "Copy";
      button.classList.remove("copied");
    }, 1600);
  }

  /* ---------- lazy Plotly --------------------------------------------------------------------- */
  var plotlyPromise = null;

  // One copy of plotly.js per site, loaded once, the first time any page needs it.
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (plotlyPromise) return plotlyPromise;
    var meta = document.querySelector('meta[name="explainer-plotly"]');
    if (!meta) return Promise.reject(new Error("this page does not load Plotly"));
    plotlyPromise = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = meta.getAttribute("content");
      script.async = true;
      script.onload = function () { resolve(window.Plotly); };
      script.onerror = function () {
        plotlyPromise = null;
        reject(new Error("could not load " + script.src));
      };
      document.head.appendChild(script);
    });
    return plotlyPromise;
  }

  function cssVar(name) {
    return getComputedStyle(root).getPropertyValue(name).trim();
  }

  // Layout keys that make a chart match the page: transparent backgrounds, text and grid colours.
  function themeLayout(layout) {
    var text = cssVar("--text"), grid = cssVar("--border"), muted = cssVar("--muted");
    var update = {
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      "font.color": text,
      "font.family": cssVar("--font-body"),
      "legend.bgcolor": "rgba(0,0,0,0)",
    };
    var axes = Object.keys(layout || {}).filter(function (k) { return /^[xy]axis\d*$/.test(k); });
    if (axes.indexOf("xaxis") < 0) axes.push("xaxis");
    if (axes.indexOf("yaxis") < 0) axes.push("yaxis");
    axes.forEach(function (axis) {
      update[axis + ".gridcolor"] = grid;
      update[axis + ".zerolinecolor"] = grid;
      update[axis + ".linecolor"] = muted;
    });
    return update;
  }

  // Plotly.newPlot wants nested objects; relayout takes the dotted keys as they are.
  function nest(flat) {
    var out = {};
    Object.keys(flat).forEach(function (key) {
      var parts = key.split("."), node = out;
      for (var i = 0; i < parts.length - 1; i++) node = node[parts[i]] = node[parts[i]] || {};
      node[parts[parts.length - 1]] = flat[key];
    });
    return out;
  }

  function merge(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (key) {
      var a = out[key], b = extra[key];
      out[key] = a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(b) ? merge(a, b) : b;
    });
    return out;
  }

  function drawChart(Plotly, chart) {
    if (chart.dataset.drawn) return;
    chart.dataset.drawn = "1";
    var source = chart.querySelector('script[type="application/json"]');
    var spec;
    try { spec = JSON.parse(source ? source.textContent : "{}"); } catch (e) {
      chart.textContent = "This chart could not be read.";
      return;
    }
    var target = document.createElement("div");
    target.className = "plotly-target";
    chart.appendChild(target);
    var layout = themedLayout(spec.layout);
    // No toolbar by default: it covered legends, and drag-to-zoom and double-click work without it.
    var config = merge({ responsive: true, displaylogo: false, displayModeBar: false }, spec.config || {});
    Plotly.newPlot(target, spec.data || [], layout, config);
  }

  function retheme() {
    if (!window.Plotly) return;
    document.querySelectorAll(".plotly-target").forEach(function (target) {
      if (target.layout) window.Plotly.relayout(target, themeLayout(target.layout));
    });
  }

  // Work for idle moments: plotly.js is a big script, and evaluating it is one long task. Doing it
  // while the reader is still at the top of the page means no chart freezes the page as it arrives.
  var idle = window.requestIdleCallback
    ? function (fn) { requestIdleCallback(fn, { timeout: 4000 }); }
    : function (fn) { setTimeout(fn, 300); };

  // Once plotly.js is in, charts are drawn ahead of the reader, one per idle moment: each is one
  // task that cannot be split, so it is better spent while nothing else happens.
  var idleQueue = [], plotlyIdle = false;
  function whenIdleAfterPlotly(fn) {
    idleQueue.push(fn);
    if (plotlyIdle && idleQueue.length === 1) drainIdle();
  }
  function drainIdle() {
    if (!idleQueue.length) return;
    idle(function () { var fn = idleQueue.shift(); fn(); drainIdle(); });
  }

  function preloadPlotly() {
    if (!document.querySelector('meta[name="explainer-plotly"]')) return;
    // A reader who asked to save data fetches it only when a chart comes near.
    if (navigator.connection && navigator.connection.saveData) return;
    function go() {
      idle(function () {
        loadPlotly().then(function () { plotlyIdle = true; drainIdle(); }, function () { /* reported when a chart needs it */ });
      });
    }
    if (document.readyState === "complete") go(); else window.addEventListener("load", go);
  }

  // Charts that arrive together are drawn one per frame, so no single task draws them all.
  var drawQueue = [];
  function queueDraw(Plotly, chart) {
    drawQueue.push(chart);
    if (drawQueue.length > 1) return;
    (function next() {
      var c = drawQueue[0];
      drawChart(Plotly, c);
      drawQueue.shift();
      if (drawQueue.length) requestAnimationFrame(function () { setTimeout(next, 0); });
    })();
  }

  function setUpCharts() {
    preloadPlotly();
    var charts = document.querySelectorAll(".plotly-chart");
    if (!charts.length) return;
    function draw(chart) {
      loadPlotly().then(function (Plotly) { queueDraw(Plotly, chart); }, function (error) {
        console.warn("explainer:", error.message);
      });
    }
    if (!("IntersectionObserver" in window)) { charts.forEach(draw); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        draw(entry.target);
      });
    }, { rootMargin: "600px 0px" });
    charts.forEach(function (chart) {
      observer.observe(chart);
      whenIdleAfterPlotly(function () {
        if (chart.dataset.drawn) return;
        observer.unobserve(chart);
        drawChart(window.Plotly, chart);
      });
    });
    document.addEventListener("explainer:theme", retheme);
  }

  /* ---------- boxes that scroll sideways can be scrolled from the keyboard ---------------------- */
  // A wide code block, formula or table scrolls inside its box; one that does must take focus, or
  // a keyboard reader cannot see the rest of it (WCAG 2.1.1). Checked again when the window resizes.
  var SCROLLERS = ".code-block pre, .math-display, .d-article table, .citation-block pre";
  function markScrollers() {
    var seen = {};  // boxes of each kind so far, in page order: each region's label is unique
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var kind = box.matches("table") ? "Table" : box.matches(".math-display") ? "Formula" : "Code";
      seen[kind] = (seen[kind] || 0) + 1;
      if (wide && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("role")) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", kind + " " + seen[kind] + ", scrolls sideways");
        }
      } else if (!wide && box.hasAttribute("data-scroll-focus")) {
        ["tabindex", "data-scroll-focus", "role", "aria-label"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  function setUpScrollers() {
    markScrollers();
    var timer;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(markScrollers, 150); });
  }

  /* ---------- table of contents: mark the section being read ---------------------------------- */
  function setUpTocHighlight() {
    var links = Array.prototype.slice.call(document.querySelectorAll('.toc a[href^="#"]'));
    if (!links.length || !("IntersectionObserver" in window)) return;
    var targets = links.map(function (a) {
      return document.getElementById(decodeURIComponent(a.hash.slice(1)));
    });
    // The active section is the last heading above the top third of the window; headings
    // crossing that line (in either direction, or by a jump) trigger a recount.
    function mark() {
      var line = innerHeight / 3, active = -1;
      targets.forEach(function (heading, i) {
        if (heading && heading.getBoundingClientRect().top < line) active = i;
      });
      links.forEach(function (a, i) { a.classList.toggle("active", i === active); });
    }
    var observer = new IntersectionObserver(mark, { rootMargin: "0px 0px -66% 0px" });
    targets.forEach(function (heading) { if (heading) observer.observe(heading); });
  }

  /* ---------- comments follow the theme -------------------------------------------------------- */
  function setUpGiscusTheme() {
    document.addEventListener("explainer:theme", function (event) {
      var frame = document.querySelector("iframe.giscus-frame");
      if (!frame) return;
      frame.contentWindow.postMessage({ giscus: { setConfig: { theme: event.detail.theme } } }, "https://giscus.app");
    });
  }

  /* ---------- browsing from disk --------------------------------------------------------------- */
  // Opened as file://, a link to "dir/" shows a folder listing; point it at dir/index.html.
  function fixFileLinks() {
    if (location.protocol !== "file:") return;
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(href)) return;
      var match = href.match(/^([^?#]*)(.*)$/);
      var path = match[1];
      if (path === "" || path.charAt(path.length - 1) !== "/") return;
      a.setAttribute("href", path + "index.html" + match[2]);
    });
  }

  // Merge, in case another script (live.js) has already put something on window.explainer.
  // themeLayout(layout): dotted keys for Plotly.relayout; themedLayout(layout): the layout with the
  // theme merged in, for Plotly.newPlot (which ignores dotted keys).
  function themedLayout(layout) { return merge(layout || {}, nest(themeLayout(layout))); }
  window.explainer = Object.assign(window.explainer || {}, { loadPlotly: loadPlotly, theme: currentTheme,
    themeLayout: themeLayout, themedLayout: themedLayout, whenIdleAfterPlotly: whenIdleAfterPlotly });

  function start() {
    setUpThemeToggle();
    setUpHoverCards();
    setUpCopyButtons();
    setUpCharts();
    setUpTocHighlight();
    setUpScrollers();
    setUpGiscusTheme();
    fixFileLinks();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
