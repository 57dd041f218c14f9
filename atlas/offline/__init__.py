"""Working without a connection: the web app manifest, the service worker, the offline page,
the list of pages to save for offline use and the offline search index (built by index.py).

The service worker and the page script are our own small files in static/js; everything here
also works with JavaScript off (the pages are plain pages; the offline extras simply stay hidden).
"""
