"""flask demo seed: synthetic offices, officers, citizens, declarations, reissue requests and complaints
(--declarations, --reissues and --complaints N for benchmarks)."""
import os
import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import text

from backoffice.extensions import db
from backoffice.services import demo, supervision
from backoffice.services.declarations import demo as demo_declarations
from backoffice.services.platform import calendar

group = AppGroup("demo", help="Dữ liệu mẫu (demo data).")
DEFAULT_PASSWORD = "bhxh-demo-2026"


@group.command("seed")
@click.option("--declarations", "bulk", type=click.IntRange(min=0), default=0,
              help="Also insert N synthetic declarations (no photos) spread over offices and states.")
@click.option("--reissues", "reissues", type=click.IntRange(min=0), default=0,
              help="Also insert N open reissue requests spread over offices and departments (benchmarks).")
@click.option("--complaints", "complaints", type=click.IntRange(min=0), default=0,
              help="Also insert N complaints in every state spread over offices, departments and officers "
                   "(benchmarks).")
def seed(bulk, reissues, complaints):
    """Load the demo offices, officers, citizens and desk declarations (idempotent) and print the logins."""
    if current_app.config["PRODUCTION"]:
        raise click.ClickException("Không nạp dữ liệu mẫu trên môi trường production.")
    password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
    logins = demo.seed_offices_and_officers(password)
    for year in range(2025, 2029):
        calendar.load_year(year)
    db.session.commit()
    if demo_declarations.seed_register_and_desk():
        db.session.commit()
        current_app.extensions["jobs"].drain()  # without Redis the extraction runs here: finish before exiting
    logins += demo.seed_reissues(password)
    db.session.commit()
    logins += demo.seed_complaints(password)
    db.session.commit()
    if bulk:
        _bulk(bulk)
    if reissues:
        _bulk_reissues(reissues)
    if complaints:
        _bulk_complaints(complaints)
    if not (bulk or reissues or complaints):
        # the supervisors' figures and flags come from periodic jobs (rq cron); the demo shows them at once
        supervision.rollups.refresh()
        supervision.flags.detect()
        db.session.commit()
    click.echo(f"Demo logins (password: {password}):")
    for login in logins:
        click.echo(f"  {login.username:24} {login.role.value:20} {login.office}")


def _load(batches, count, noun, refresh):
    """Commit each batch as it comes, say how far it got, then refresh the planner's statistics."""
    started = time.perf_counter()
    for done in batches:
        db.session.commit()
        click.echo(f"  {done:,} / {count:,} {noun} ({time.perf_counter() - started:.1f} s)", err=True)
    refresh()
    click.echo(f"Inserted {count:,} {noun} in {time.perf_counter() - started:.1f} s.")


def _analyze_reissues():
    db.session.execute(text("ANALYZE reissue_requests"))
    db.session.commit()


def _bulk(count):
    _load(demo_declarations.bulk_batches(count), count, "declarations", demo_declarations.refresh_statistics)


def _bulk_reissues(count):
    _load(demo.bulk_reissues(count), count, "reissue requests", _analyze_reissues)


def _bulk_complaints(count):
    _load(demo.bulk_complaints(count), count, "complaints", demo.refresh_complaint_statistics)
