// Dyad's site script: draws every chart on a page from its figure file, on first load and after Material's
// instant navigation, and re-themes charts when the reader toggles light/dark. plotly.js is loaded only on pages
// that have a chart, from the copy shipped with the site, before any chart is drawn. On a page's first load the
// script starts fetching plotly.js and the figures as soon as it runs (it comes after the page's content), so the
// downloads and plotly.js's parsing overlap the rest of the page's start-up rather than follow it.
(function () {
  "use strict";
  var plotlyLoading = null;
  var drawn = [];
  var prefetched = {};  // figure URL -> its pending request, used once by draw()

  function loadPlotly(src) {
    if (window.Plotly) return Promise.resolve();
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { plotlyLoading = null; reject(new Error("could not load " + src)); };
        document.head.appendChild(script);
      });
    }
    return plotlyLoading;
  }

  function isDark() {
    var scheme = document.body && document.body.getAttribute("data-md-color-scheme");
    return scheme === "slate";
  }

  function themeLayout() {
    var dark = isDark();
    var ink = dark ? "#e2e4e9" : "#1f2328";
    var grid = dark ? "rgba(255,255,255,0.12)" : "rgba(0,0,0,0.1)";
    return {
      "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
      "font.color": ink, "xaxis.gridcolor": grid, "yaxis.gridcolor": grid,
      "xaxis.rangeselector.bgcolor": dark ? "#2e303e" : "#eeeeee",
      "xaxis.rangeselector.activecolor": dark ? "#4a4d63" : "#d4d4d4",
      "legend.font.color": ink
    };
  }

  function applyTheme(layout) {
    var theme = themeLayout();
    Object.keys(theme).forEach(function (path) {
      var parts = path.split("."), target = layout;
      for (var i = 0; i < parts.length - 1; i++) {
        if (typeof target[parts[i]] !== "object" || target[parts[i]] === null) target[parts[i]] = {};
        target = target[parts[i]];
      }
      target[parts[parts.length - 1]] = theme[path];
    });
    return layout;
  }

  function fetchFigure(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error("figure " + response.status);
      return response.json();
    });
  }

  function prefetch() {
    Array.prototype.forEach.call(document.querySelectorAll(".dyad-plot[data-figure]"), function (element) {
      var url = element.getAttribute("data-figure");
      if (!prefetched[url]) {
        prefetched[url] = fetchFigure(url);
        prefetched[url].catch(function () {});  // reported by draw(), which fetches again
      }
      loadPlotly(element.getAttribute("data-plotly")).catch(function () {});  // retried by draw()
    });
  }

  function draw(element) {
    if (element.getAttribute("data-drawn") === "1") return Promise.resolve();
    element.setAttribute("data-drawn", "1");
    var url = element.getAttribute("data-figure");
    var figureRequest = prefetched[url] ? prefetched[url].catch(function () { return fetchFigure(url); })
                                        : fetchFigure(url);
    delete prefetched[url];
    return Promise.all([figureRequest, loadPlotly(element.getAttribute("data-plotly"))]).then(function (loaded) {
      var figure = loaded[0];
      return window.Plotly.newPlot(element, figure.data, applyTheme(figure.layout), figure.config).then(function () {
        drawn.push(element);
        element.setAttribute("data-ready", "1");
        element.on("plotly_click", function (event) {
          var point = event.points && event.points[0];
          var target = point && point.customdata && point.customdata[3];
          if (typeof target === "string" && /^[a-z0-9/._-]*$/.test(target)) {
            window.location.href = new URL(element.getAttribute("data-root") + target, window.location.href).href;
          }
        });
      });
    }).catch(function (error) {
      element.removeAttribute("data-drawn");
      element.setAttribute("data-error", String(error && error.message || error));
    });
  }

  function drawAll() {
    drawn = drawn.filter(function (element) { return document.body.contains(element); });
    var elements = document.querySelectorAll(".dyad-plot");
    return Promise.all(Array.prototype.map.call(elements, draw));
  }

  function retheme() {
    drawn.forEach(function (element) {
      if (document.body.contains(element)) window.Plotly.relayout(element, themeLayout());
    });
  }

  // Material's search dialog has no accessible name; give it one (an axe "serious" finding otherwise).
  function nameDialogs() {
    var search = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    if (search) search.setAttribute("aria-label", "Search");
  }

  function start() {
    nameDialogs();
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { nameDialogs(); drawAll(); });  // Material: first load and every instant navigation
    } else {
      drawAll();
    }
    new MutationObserver(retheme).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  window.dyad = { drawAll: drawAll, retheme: retheme };
  prefetch();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
