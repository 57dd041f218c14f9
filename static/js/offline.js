/* Atlas offline: registers the service worker (sw.js), says when a page is a saved copy, saves
   the whole atlas on request and searches the saved pages without a connection. Every page
   works without this file; in the static copy (meta atlas-static) it only does the search. */
(function () {
  "use strict";
  var doc = document, script = doc.currentScript, lang = doc.documentElement.lang;
  var meta = function (name) { var m = doc.querySelector("meta[name=" + name + "]"); return m && m.content; };
  var manifest = doc.querySelector("link[rel=manifest]");
  var root = manifest ? new URL(".", manifest.href).href : location.origin + "/" + lang + "/";
  var copy = !!meta("atlas-static"), worker = !copy && "serviceWorker" in navigator;
  var suffix = copy ? "/index.html" : "", offlineUrl = root + (copy ? "offline/index.html" : "offline");
  var index = null, loading = null;

  // --- The folding of search.normalise, cheap parts only: the index was folded by it ---------
  var T = {};
  ("аa бb вv гg дd еe ёe жj зz иi йi кk лl мm нn оo пp рr сs тt уu фf хh цc чS шS щS ыi эe әa ғg қk ңn " +
   "өo ұu үu һh іi qk wv xh yi ıi ýu şS çS čS šS žj ь ъ юiu яia").split(" ").forEach(function (pair) {
    T[pair[0]] = pair.slice(1);
  });
  var DIGRAPHS = [["sh", "S"], ["ch", "S"], ["zh", "j"], ["kh", "h"], ["gh", "g"], ["ts", "c"]];
  var EN = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./", RU = "ёйцукенгшщзхъфывапролджэячсмитьбю.";

  function skeleton(word) {
    var key = "";
    Array.from(word).forEach(function (c) {
      if (!(c in T) && c > "\x7f") c = c.normalize("NFKD").replace(/[^\x00-\x7f]/g, "") || c;
      key += c in T ? T[c] : c;
    });
    key = key.replace(/([a-zA-Z])\1+/g, "$1");
    DIGRAPHS.forEach(function (d) { key = key.split(d[0]).join(d[1]); });
    return key.replace(/sS/g, "S").replace(/([a-zA-Z])\1+/g, "$1").replace(/S/g, "sh");
  }

  function keys(text) {
    text = text.replace(/([sc])['’ʼʻ`´‘](?=\p{L})/giu, "ş").replace(/['’ʼʻ`´‘](?=\p{L})/gu, "");
    return text.toLowerCase().replace(/\u0307/g, "").split(/[^\p{L}\p{M}\p{Nd}]+/u).map(skeleton).filter(Boolean);
  }

  function wrongLayout(text) {  // English keys meant as Russian or Kazakh (the number row: ә і ң ғ ү ұ қ ө һ)
    return text.toLowerCase().split(" ").map(function (token) {
      var latin = /[a-z]/.test(token);
      return Array.from(token).map(function (c) {
        var i = EN.indexOf(c), k = "2345890-=".indexOf(c);
        return i >= 0 ? RU[i] : latin && k >= 0 ? "әіңғүұқөһ"[k] : c;
      }).join("");
    }).join(" ");
  }

  function score(query, record) {
    var names = record[4].split(" "), others = record[5].split(" "), total = 0;
    var starts = function (list, k) { return list.some(function (w) { return w.indexOf(k) === 0; }); };
    for (var i = 0; i < query.length; i++) {
      var k = query[i], best = 0;
      if (names.indexOf(k) >= 0) best = 4;
      else if (k.length > 2 && starts(names, k)) best = 3;
      else if (k.length > 2 ? starts(others, k) : others.indexOf(k) >= 0) best = 2;
      for (var cut = 1; !best && cut < 4 && k.length - cut > 3; cut++) {  // a word ending
        if (starts(names, k.slice(0, -cut)) || starts(others, k.slice(0, -cut))) best = 1;
      }
      if (!best) return 0;
      total += best;
    }
    return total;
  }

  function find(text) {
    var code = text.replace(/[\s.\-]/g, "").toUpperCase();
    var isCode = /^((3W|4S|5AB)\d{2,}|\d{4,})$/.test(code), query = keys(text);
    var found = index.records.map(function (r) {
      var s = isCode ? (r[6].split(" ").some(function (c) { return c.indexOf(code) === 0; }) ? 5 : 0) : score(query, r);
      return {score: s, record: r};
    }).filter(function (hit) { return hit.score > 0; });
    if (!found.length && !isCode && /[a-z]/i.test(text) && !/[а-яёәғқңөұүһі]/i.test(text)) {
      var converted = wrongLayout(text);
      if (converted !== text.toLowerCase()) return find(converted);
    }
    return found.sort(function (a, b) {
      return b.score - a.score || a.record[2].localeCompare(b.record[2], lang);
    }).map(function (hit) { return hit.record; });
  }

  function urlOf(record) { return root + index.paths[record[0]] + record[1] + suffix; }

  function loadIndex() {
    loading = loading || fetch(root + "offline/search.json").then(function (r) { return r.json(); })
      .then(function (loaded) { index = loaded; }, function () {
        index = {records: [], paths: {}, types: {}, labels: {}};
      });
    return loading;
  }

  function saved(url) {  // in the static copy every page is there
    return copy ? Promise.resolve(true) : caches.match(url, {ignoreVary: true}).then(Boolean);
  }

  function search(text, limit) {
    return loadIndex().then(function () {
      var records = find(text).slice(0, 60);
      return Promise.all(records.map(function (r) { return saved(urlOf(r)); })).then(function (have) {
        return records.filter(function (r, i) { return have[i]; }).slice(0, limit);
      });
    });
  }

  function el(tag, attrs, text) {
    var node = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function linkItem(url, name, meta, type) {
    var li = el("li", {"class": type ? "result result-" + type : "card-item"});
    if (type) li.appendChild(el("span", {"class": "type"}, index.types[type]));
    li.appendChild(el("a", {href: url}, name));
    if (meta) li.appendChild(el("p", {"class": "meta"}, meta));
    return li;
  }

  // --- Offline and in the static copy: search boxes use the index ---------------------------
  function offline() { return copy || !navigator.onLine; }

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!offline() || form.getAttribute("role") !== "search") return;
    event.preventDefault();
    event.stopPropagation();  // before htmx, which would ask the server
    location.href = offlineUrl + "?q=" + encodeURIComponent(form.elements.q.value);
  }, true);

  var typing = null;
  doc.addEventListener("input", function (event) {
    var input = event.target, box = input.getAttribute("aria-controls") && doc.getElementById(input.getAttribute("aria-controls"));
    if (!offline() || !box || input.name !== "q") return;
    clearTimeout(typing);
    typing = setTimeout(function () {
      var text = input.value.trim();
      if (!text) { box.textContent = ""; return; }
      search(text, 8).then(function (records) {
        box.textContent = "";
        if (!records.length) return;
        var list = el("ul", {"class": "suggestion-list", "aria-label": index.labels.suggestions});
        records.forEach(function (r) { list.appendChild(el("li")).appendChild(el("a", {href: urlOf(r)}, r[2])); });
        list.appendChild(el("li", {"class": "all"})).appendChild(
          el("a", {href: offlineUrl + "?q=" + encodeURIComponent(text)}, fill(index.labels.all, {q: text})));
        box.appendChild(list);
      });
    }, 150);
  });

  // --- The offline page: what was asked for, the search, the saved pages ---------------------
  function offlinePage() {
    var results = doc.querySelector("[data-offline-results]");
    if (!results) return;
    var asked = location.href.split(/[?#]/)[0], q = new URLSearchParams(location.search).get("q");
    var searching = q !== null || /\/search$/.test(asked);
    doc.querySelector("[data-offline-missing]").hidden = copy || searching || asked === offlineUrl;
    loadIndex().then(function () {
      if (q) {
        doc.getElementById("offline-q").value = q;
        search(q, 50).then(function (records) {
          var list = results.querySelector("[data-offline-found]");
          records.forEach(function (r) { list.appendChild(linkItem(urlOf(r), r[2], r[3], r[0])); });
          results.querySelector("[data-offline-none]").hidden = records.length > 0;
          results.hidden = false;
        });
      }
      if (copy) { doc.querySelector("[data-saved-section]").hidden = true; return; }
      listSaved();
    });
  }

  function listSaved() {
    var names = {};
    index.records.forEach(function (r) { names[urlOf(r)] = r; });
    caches.open("atlas-pages").then(function (cache) { return cache.keys(); }).then(function (requests) {
      var urls = requests.map(function (r) { return r.url; }).filter(function (url) {
        return url.indexOf(root) === 0 && !/\.json$|\.webmanifest$/.test(url) && url !== offlineUrl;
      });
      return Promise.all(urls.map(function (url) {
        if (names[url]) return {url: url, name: names[url][2], meta: names[url][3]};
        return caches.match(url, {ignoreVary: true}).then(function (r) { return r.text(); }).then(function (body) {
          var title = /<title>([^<]*)/.exec(body);
          var text = el("textarea");
          text.innerHTML = title ? title[1].split(" — ")[0] : url;
          return {url: url, name: text.value, meta: ""};
        });
      }));
    }).then(function (items) {
      var list = doc.querySelector("[data-saved-list]");
      items.sort(function (a, b) { return a.name.localeCompare(b.name, lang); }).forEach(function (item) {
        list.appendChild(linkItem(item.url, item.name, item.meta));
      });
      doc.querySelector("[data-saved-empty]").hidden = items.length > 0;
    });
  }

  // --- Save the whole atlas --------------------------------------------------------------------
  function size(bytes) {  // units from the page: browsers lack Kazakh unit names
    var mb = bytes >= 1e6, units = doc.querySelector("[data-save]").dataset.units.split(" ");
    return new Intl.NumberFormat("ru", {maximumFractionDigits: 1}).format(bytes / (mb ? 1e6 : 1e3)) + " " + units[+mb];
  }

  function day(time, withTime) {  // 01.12.2026, 14:30: the numeric form both languages use
    return new Intl.DateTimeFormat("ru", {dateStyle: "short", timeStyle: withTime ? "short" : undefined})
      .format(new Date(time));
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k]; });
  }

  function savePanel(registration) {
    var panel = doc.querySelector("[data-save]");
    if (!panel) return;
    var button = panel.querySelector("[data-save-all]"), undo = panel.querySelector("[data-save-undo]");
    var bar = panel.querySelector("progress"), status = panel.querySelector("[data-save-status]");
    var store = "atlas-saved-" + lang;
    var ask = function (message, listen) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) { listen(event.data); };
      (registration.active || navigator.serviceWorker.controller).postMessage(message, [channel.port2]);
    };
    var show = function () {
      var done = JSON.parse(localStorage.getItem(store) || "null");
      undo.hidden = !done;
      if (done) status.textContent = fill(panel.dataset.done, {total: done.total, size: size(done.bytes),
                                                                 date: day(done.at)});
    };
    panel.hidden = false;
    show();
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(root + "offline/pages.json").then(function (r) { return r.json(); }).then(function (list) {
        bar.hidden = false;
        ask({save: list.urls}, function (p) {
          bar.max = p.total;
          bar.value = p.done;
          status.textContent = fill(panel.dataset.progress, {done: p.done, total: p.total, size: size(p.bytes)});
          if (p.done < p.total) return;
          button.disabled = false;
          bar.hidden = true;
          localStorage.setItem(store, JSON.stringify({total: p.total - p.failed, bytes: p.bytes, at: Date.now()}));
          show();
          if (p.failed) status.textContent += " " + fill(panel.dataset.failed, p);
        });
      }, function () { button.disabled = false; });
    });
    undo.addEventListener("click", function () {
      fetch(root + "offline/pages.json").then(function (r) { return r.json(); }).then(function (list) {
        ask({forget: list.urls.filter(function (url) {  // the offline page, its index and this page stay
          return url !== location.pathname && !/\/offline(\/|$)/.test(url);
        })}, function () {
          localStorage.removeItem(store);
          show();
          status.textContent = panel.dataset.removed;
        });
      });
    });
  }

  // --- Start ----------------------------------------------------------------------------------
  var when = meta("atlas-saved"), banner = doc.querySelector("[data-saved-banner]");
  if (when && banner) {
    banner.textContent = banner.textContent.replace("{date}", day(+when, true));
    banner.hidden = false;
  }
  if (worker) {
    var first = !navigator.serviceWorker.controller;
    navigator.serviceWorker.register(script.dataset.sw);
    navigator.serviceWorker.ready.then(function (registration) {
      // The page that installed the worker did not pass through it: keep it too.
      if (first && !when) registration.active.postMessage({save: [location.href]}, [new MessageChannel().port2]);
      savePanel(registration);
    });
  }
  if (copy || worker) offlinePage();
})();
