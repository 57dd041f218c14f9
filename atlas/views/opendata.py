"""Open data: the API's human page and downloads of the whole dataset."""

from flask import Blueprint, Response, current_app, render_template, send_file

from .. import queries
from ..web.db import build_info, get_db
from ..features.exports import dataset_zip
from ..web.caching.pages import cached

bp = Blueprint("opendata", __name__)

LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"


@bp.get("/<lang>/open-data")
@cached
def index():
    return render_template("opendata/index.html", build=build_info(), licence=LICENCE,
                           tables=queries.EXPORTED_TABLES)


@bp.get("/download/atlas-data.zip")
def data_zip():
    db, build = get_db(), build_info()
    tables = {name: queries.list_table_rows(db, name) for name in queries.EXPORTED_TABLES}
    readme = (f"Atlas of new professions of East Kazakhstan region: the whole dataset as CSV (UTF-8).\n"
              f"Build {build['build_id']}, {build['built_at']}.\nLicence: {LICENCE}.\n"
              f"Lists inside cells are JSON arrays. Each table's source column names a row of sources.csv;\n"
              "a state_order figure from an official import names the imported file and its date instead.\n")
    response = Response(dataset_zip(tables, readme), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="atlas-data-{build["build_id"]}.zip"'
    return response


@bp.get("/download/atlas.db")
def database_file():
    build = build_info()
    return send_file(current_app.config["DATABASE"], mimetype="application/vnd.sqlite3", as_attachment=True,
                     download_name=f"atlas-{build['build_id']}.db")
