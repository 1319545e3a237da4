"""Campaign asset endpoints: upload, list, get, replace, rename and file access."""

from flask import Blueprint

blueprint = Blueprint("assets", __name__)
