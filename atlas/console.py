"""The `atlas` command: Flask's CLI over create_app, with the project's commands (cli.py)
registered by the factory."""

import click
from flask.cli import FlaskGroup

from . import create_app


@click.group(cls=FlaskGroup, create_app=lambda: create_app())
def cli():
    """Atlas of new professions of East Kazakhstan region."""


if __name__ == "__main__":
    cli()
