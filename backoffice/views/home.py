"""The landing page after sign-in."""
from flask import Blueprint, render_template
from flask_login import current_user

from backoffice.web.permissions import signed_in

bp = Blueprint("home", __name__)


@bp.route("/")
@signed_in
def index():
    """The officer's start page: who and where they are, and what they can open."""
    return render_template("home/index.html", officer=current_user)
