"""The site's pages, one module per area; register() wires them into the app."""

from ..web.params import query_suffix


def register(app):
    from . import (
        api,
        changes,
        colleges,
        compare,
        employers,
        enrol,
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
                   stats, opendata, enrol, api, changes):
        app.register_blueprint(module.bp)
    app.jinja_env.globals["query_suffix"] = query_suffix


