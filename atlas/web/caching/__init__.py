"""Caching, in three parts, each keeping something else:

- `headers`: what a browser or a proxy may keep, and how it asks again: validators (ETag,
  Last-Modified), Cache-Control, compression.
- `pages`: rendered answers of the views whose output depends only on the build, the URL and a
  few request facts, kept in each worker (`@cached`).
- `responses`: whole public answers, headers and body, kept in each worker in front of Flask,
  the way a shared caching proxy would keep them.
"""
