"""The web app: a search page for people and a JSON API for programs, over the same search function.

``create_app`` is the application factory (``flask --app webapp run``); the
views are in ``views``, searching is in ``search``, the ``lede`` command in ``cli``.
"""
from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]

MAX_CONTENT_LENGTH = 16 * 1024  # the app takes no uploads; refuse big request bodies


CHECKOUT_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"  # the top-level folder of a checkout


def templates_dir() -> str:
    """The templates: inside the installed package (a wheel carries the top-level `templates/` folder
    as webapp/templates/), else the checkout's top-level folder."""
    installed = files("webapp") / "templates"
    return str(installed) if installed.is_dir() else str(CHECKOUT_TEMPLATES)


def create_app(config: dict | None = None) -> Flask:
    """Create the app; `config` overrides the defaults (INDEX_DIR: env LEDE_INDEX or ./index)."""
    from flask import Flask  # (here: `lede index` imports this package, and needs no Flask)

    from . import live

    app = Flask(__name__, template_folder=templates_dir())
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("LEDE_INDEX", "index"),
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
    )
    if config:
        app.config.update(config)
    app.json.sort_keys = False  # keep the API's documented key order
    app.extensions["lede_index"] = live.IndexHolder(app.config["INDEX_DIR"])

    from . import views
    app.register_blueprint(views.bp)
    return app
