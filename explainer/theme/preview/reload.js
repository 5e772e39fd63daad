/* Preview only (`explainer serve` adds it to pages as it sends them; built sites never load it).
 *
 * Listens to the preview server's event stream: `reload` when this page was rebuilt, `errors` with
 * the build's current errors, shown as an overlay until a build succeeds. The scroll position is
 * kept across reloads, so an author editing the middle of a long post stays where they were. */
(function () {
  "use strict";
  var script = document.currentScript;
  var build = (script && script.getAttribute("data-build")) || "0";
  var key = "explainer-preview-scroll:" + location.pathname;

  function restoreScroll() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved) return;
    window.scrollTo(saved.x, saved.y);
    // Late layout (fonts, images, charts) can move the page; put it back once everything loaded.
    window.addEventListener("load", function () {
      window.scrollTo(saved.x, saved.y);
      try { sessionStorage.removeItem(key); } catch (e) { /* private mode */ }
      history.scrollRestoration = "auto";
    });
  }

  function reload() {
    try {
      sessionStorage.setItem(key, JSON.stringify({x: window.scrollX, y: window.scrollY}));
      history.scrollRestoration = "manual";  // ours, not the browser's guess about the new page
    } catch (e) { /* private mode: the browser's own restoration will do */ }
    location.reload();
  }

  var OVERLAY_ID = "explainer-error-overlay";

  function showErrors(errors) {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.parentNode.removeChild(old);
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.92);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var title = document.createElement("h2");
    title.textContent = errors.length === 1 ? "Build error" : errors.length + " build errors";
    title.style.cssText = "margin:0 0 1rem;font:600 20px/1.3 system-ui,sans-serif;color:#ff8a80";
    box.appendChild(title);
    errors.forEach(function (err) {
      var p = document.createElement("p");
      p.className = "explainer-error";
      p.style.cssText = "margin:0 0 .75rem;white-space:pre-wrap;overflow-wrap:anywhere";
      var where = document.createElement("strong");
      where.textContent = err.where ? err.where + ": " : "";
      where.style.color = "#ffd180";
      p.appendChild(where);
      p.appendChild(document.createTextNode(err.message));
      box.appendChild(p);
    });
    var hint = document.createElement("p");
    hint.textContent = "Fix the file and save: this overlay clears by itself. The page below is the last good build.";
    hint.style.cssText = "margin-top:1.5rem;color:#bbb;font-family:system-ui,sans-serif";
    box.appendChild(hint);
    (document.body || document.documentElement).appendChild(box);
  }

  function connect() {
    if (!window.EventSource) return;
    var url = "/__explainer/events?path=" + encodeURIComponent(location.pathname) + "&since=" + build;
    var source = new EventSource(url);
    source.addEventListener("open", function () {
      document.documentElement.setAttribute("data-preview", "connected");  // tests wait for this
    });
    source.addEventListener("reload", function () { source.close(); reload(); });
    source.addEventListener("errors", function (e) {
      var data;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      var show = function () { showErrors(data.errors || []); };
      if (document.body) show(); else document.addEventListener("DOMContentLoaded", show);
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  restoreScroll();
  connect();
})();
