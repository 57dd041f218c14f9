"""The WSGI entry point for gunicorn: `gunicorn atlas.wsgi:app`."""

from . import create_app

app = create_app()
