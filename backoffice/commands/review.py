"""flask review draw: draw a supervisor's re-review sample, or replay a stored one from its seed."""
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Officer
from backoffice.models.supervision import ReviewSample
from backoffice.services import DomainError, supervision

group = AppGroup("review", help="Kiểm tra lại quyết định theo mẫu (blind re-review).")


@group.command("draw")
@click.option("--as", "username", help="The supervisor drawing the sample (their subtree is the frame).")
@click.option("--from", "period_from", type=click.DateTime(["%Y-%m-%d"]), help="First day (Vietnam date).")
@click.option("--to", "period_to", type=click.DateTime(["%Y-%m-%d"]), help="Last day (Vietnam date).")
@click.option("--precision", default=0.10, show_default=True, help="Target precision (±) per stratum.")
@click.option("--confidence", default=0.90, show_default=True, help="Confidence level.")
@click.option("--fixed", "fixed_count", type=int, help="A fixed count per stratum instead of a precision.")
@click.option("--seed", help="Seed of the draw (default: a random one, stored with the sample).")
@click.option("--replay", "replay_id", type=int, help="Replay stored sample ID from its seed and frame.")
def draw(username, period_from, period_to, precision, confidence, fixed_count, seed, replay_id):
    """Draw a sample and print its strata, or replay one (exit 1 when the replay differs)."""
    if replay_id is not None:
        sample = db.session.get(ReviewSample, replay_id)
        if sample is None:
            click.echo(f"No sample {replay_id}.", err=True)
            sys.exit(1)
        same, again = supervision.sampling.replay(sample)
        click.echo(f"Sample {sample.id}: seed {sample.seed}, frame {len(sample.frame)} decisions "
                   f"(sha256 {sample.frame_hash[:16]}…), {len(again)} drawn again.")
        if not same:
            click.echo("The replay does NOT match the stored sample.", err=True)
            sys.exit(1)
        click.echo("The replay matches the stored sample exactly.")
        return
    officer = db.session.scalar(select(Officer).where(Officer.username == (username or "")))
    if officer is None or not period_from or not period_to:
        raise click.UsageError("--as USERNAME, --from and --to are required to draw (or --replay ID).")
    try:
        sample = supervision.sampling.draw(officer, period_from.date(),
                                           period_to.date(), "fixed" if fixed_count else "precision", precision,
                                           confidence, fixed_count, seed)
    except DomainError as error:
        db.session.rollback()
        click.echo(error.message, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Sample {sample.id}: seed {sample.seed}, {len(sample.frame)} decisions in the frame, "
               f"{len(sample.items)} drawn.")
    for stratum, figures in sample.strata.items():
        click.echo(f"  {stratum}: {figures['size']} of {figures['population']}"
                   f"{' (high risk)' if figures['high_risk'] else ''}")
