"""The floor: a bare Flask "hello" page, served by the same gunicorn settings as the atlas,
so that every throughput figure of `make bench` can be read as a share of it.

`/bytes/<n>` is a bare page of n bytes, for comparing a large page (the full professions
list) with the cost of merely sending as many bytes through Flask and gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"


@app.get("/bytes/<int:size>")
def sized(size):
    return "x" * min(size, 16 * 1024 * 1024)
