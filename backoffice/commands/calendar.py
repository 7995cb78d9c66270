"""flask calendar load FIRST_YEAR [LAST_YEAR]."""
import click
from flask.cli import AppGroup

from backoffice.extensions import db
from backoffice.services.platform import calendar

group = AppGroup("calendar", help="Lịch làm việc (business calendar).")


@group.command("load")
@click.argument("first_year", type=click.IntRange(1990, 2100))
@click.argument("last_year", type=click.IntRange(1990, 2100), required=False)
def load(first_year, last_year):
    """Load Vietnamese public holidays for the years (years already loaded are left as edited)."""
    for year in range(first_year, (last_year or first_year) + 1):
        added = calendar.load_year(year)
        click.echo(f"{year}: {added} days added.")
    db.session.commit()
