"""The site's pages, one module per area; register() wires them into the app."""

from flask import abort, request


def register(app):
    from .. import api
    from . import (
        colleges,
        compare,
        employers,
        home,
        opendata,
        printing,
        professions,
        quiz,
        search,
        shortlist,
        specialties,
        stats,
        system,
    )

    for module in (system, home, professions, specialties, colleges, employers, search, compare, shortlist, quiz, printing,
                   stats, opendata, api):
        app.register_blueprint(module.bp)


def choice_arg(name, allowed):
    """A query parameter that must be one of allowed (or absent): anything else is a 400."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if value not in allowed:
        abort(400, description=f"{name}={value[:60]}")
    return value
