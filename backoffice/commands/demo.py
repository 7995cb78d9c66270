"""flask demo seed: synthetic offices, officers (and later citizens and declarations)."""
import os

import click
from flask import current_app
from flask.cli import AppGroup

from backoffice.extensions import db
from backoffice.services import calendar, demo

group = AppGroup("demo", help="Dữ liệu mẫu (demo data).")
DEFAULT_PASSWORD = "bhxh-demo-2026"


@group.command("seed")
def seed():
    """Load the demo offices and officers (idempotent) and print the logins."""
    if current_app.config["PRODUCTION"]:
        raise click.ClickException("Không nạp dữ liệu mẫu trên môi trường production.")
    password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
    logins = demo.seed_offices_and_officers(password)
    for year in range(2025, 2029):
        calendar.load_year(year)
    db.session.commit()
    click.echo(f"Demo logins (password: {password}):")
    for login in logins:
        click.echo(f"  {login.username:24} {login.role.value:20} {login.office}")
