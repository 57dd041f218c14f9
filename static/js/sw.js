/* Atlas service worker: pages network-first (a copy is kept of each page opened or saved),
   content-hashed assets cache-first, a localized offline page for pages never saved.
   Saved copies carry the build id of the data; a page from a newer build refreshes them all. */
"use strict";
var PAGES = "atlas-pages", ASSETS = "atlas-assets", BUILD_KEY = "/__atlas-build";
var LANGS = ["kk", "ru"], PAGE_PATH = /^\/(kk|ru)\//, BUILD_RE = /<meta name="atlas-build" content="([^"]*)"|^\{"build": ?"([^"]*)"/;
var renewing = null;

self.addEventListener("install", function (event) {
  var urls = [];  // the offline page and the search index of both languages
  LANGS.forEach(function (lang) { urls.push("/" + lang + "/offline", "/" + lang + "/offline/search.json"); });
  event.waitUntil(Promise.all(urls.map(function (url) {
    return fetch(url).then(function (response) { return store(url, response); });
  })).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.indexOf("/assets/") === 0) return event.respondWith(asset(request));
  // htmx asks for fragments of the same URLs: those are never saved in place of the page.
  if (!PAGE_PATH.test(url.pathname) || request.headers.get("HX-Request")) return;
  event.respondWith(page(event, request, url));
});

self.addEventListener("message", function (event) {
  var data = event.data || {}, port = event.ports[0];
  if (data.save) event.waitUntil(saveAll(data.save, port));
  if (data.forget) event.waitUntil(caches.open(PAGES).then(function (cache) {
    return Promise.all(data.forget.map(function (url) { return cache.delete(url); }));
  }).then(function () { port.postMessage({removed: true}); }));
});

function page(event, request, url) {
  // Always asks the server (a copy in the HTTP cache would hide that the visitor is offline).
  return fetch(request, {cache: "no-cache"}).then(function (response) {
    // Never kept: what the server says must not be stored (the editing area's pages say so).
    if (response.ok && /html|json/.test(response.headers.get("Content-Type")) &&
        !/no-store/.test(response.headers.get("Cache-Control"))) {
      event.waitUntil(store(request.url, response.clone()));
    }
    return response;
  }, function (error) {
    return caches.match(request.url, {ignoreVary: true}).then(function (saved) {
      if (saved) return stamped(saved);
      if (request.mode !== "navigate") throw error;
      return caches.match("/" + url.pathname.split("/")[1] + "/offline", {ignoreVary: true}).then(function (offline) {
        if (!offline) throw error;
        return offline;
      });
    });
  });
}

/* A saved page tells the page script when it was saved (offline.js shows it in a banner). */
function stamped(saved) {
  if (!/html/.test(saved.headers.get("Content-Type"))) return saved;
  return saved.text().then(function (body) {
    body = body.replace('<meta name="atlas-saved" content="">',
                        '<meta name="atlas-saved" content="' + saved.headers.get("X-Atlas-Saved") + '">');
    return new Response(body, {headers: saved.headers});
  });
}

/* Keep a copy of a page with its build and the time; save its assets; resolves to its size. */
function store(url, response) {
  return response.text().then(function (body) {
    var found = BUILD_RE.exec(body), build = found ? found[1] || found[2] : "";
    var headers = {"Content-Type": response.headers.get("Content-Type"), "X-Atlas-Saved": String(Date.now()),
                   "X-Atlas-Build": build};
    return caches.open(PAGES).then(function (cache) {
      return cache.put(url, new Response(body, {headers: headers}));
    }).then(function () {
      return Promise.all((body.match(/\/assets\/[0-9a-f]+\/[^"'?#\s]+/g) || []).map(function (path) {
        return caches.match(path).then(function (saved) {
          return saved || fetch(path).then(function (response) { if (response.ok) return keep(path, response); });
        }).catch(function () {});
      }));
    }).then(function () {
      if (build) renew(build);
      return new Blob([body]).size;
    });
  });
}

/* A page of a new build was seen: fetch every saved page again (a removed one is dropped). */
function renew(build) {
  if (renewing) return renewing;
  renewing = caches.open(PAGES).then(function (cache) {
    return cache.match(BUILD_KEY).then(function (known) { return known ? known.text() : ""; }).then(function (old) {
      if (old === build) return;
      return cache.put(BUILD_KEY, new Response(build)).then(function () { return cache.keys(); }).then(function (keys) {
        return keys.reduce(function (chain, key) {
          return chain.then(function () { return cache.match(key); }).then(function (saved) {
            var was = saved && saved.headers.get("X-Atlas-Build");
            if (!was || was === build) return;
            return fetch(key.url, {cache: "no-cache"}).then(function (response) {
              if (response.ok) return store(key.url, response);
              if (response.status === 404 || response.status === 410) return cache.delete(key);
            }, function () {});
          });
        }, Promise.resolve());
      });
    });
  }).then(function () { renewing = null; }, function () { renewing = null; });
  return renewing;
}

function asset(request) {
  return caches.match(request).then(function (saved) {
    return saved || fetch(request).then(function (response) {
      if (response.ok) keep(request.url, response.clone());
      return response;
    });
  });
}

/* Keep an asset; an older version of the same file (another hash) goes. */
function keep(url, response) {
  var name = function (key) { return new URL(key, location.href).pathname.replace(/^\/assets\/[^/]+/, ""); };
  return caches.open(ASSETS).then(function (cache) {
    return cache.keys().then(function (keys) {
      keys.forEach(function (key) { if (name(key.url) === name(url)) cache.delete(key); });
      return cache.put(url, response);
    });
  });
}

function saveAll(urls, port) {
  var queue = urls.slice(), done = 0, bytes = 0, failed = 0;
  function next() {
    var url = queue.shift();
    if (!url) return Promise.resolve();
    return fetch(url, {cache: "no-cache"}).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return store(url, response);
    }).then(function (size) { bytes += size; }, function () { failed += 1; }).then(function () {
      done += 1;
      port.postMessage({done: done, total: urls.length, bytes: bytes, failed: failed});
      return next();
    });
  }
  return Promise.all([next(), next(), next(), next()]);
}
