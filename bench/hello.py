"""The floor: a bare Flask "hello" page, served by the same gunicorn settings as the atlas,
so that every throughput figure of `make bench` can be read as a share of it."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"
