"""flask audit verify | anchor."""
import sys

import click
from flask.cli import AppGroup

from backoffice.services.platform import audit
from backoffice.tasks.audit import anchor_head

group = AppGroup("audit", help="Nhật ký kiểm toán (audit log).")


@group.command("verify")
@click.option("--anchors", "anchor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="More anchors: a copy of the anchor file, or the `audit_anchor` lines of the shipped log.")
def verify(anchor_files):
    """Exit 0 when the hash chain is intact and as long as its anchors say, else 1 naming the problem."""
    try:
        anchors = audit.read_anchors(anchor_files)
    except audit.BadAnchor as error:
        click.echo(f"BROKEN: an anchor cannot be read: {error}.", err=True)
        sys.exit(1)
    result = audit.verify(anchors)
    if result.ok:
        anchored = (f" It matches the latest anchor: {result.anchor.describe()}." if result.anchor
                    else " No anchor yet (flask audit anchor).")
        click.echo(f"OK: {result.checked} entries, chain intact.{anchored}")
        return
    if result.bad_entry_id is None:
        click.echo(f"BROKEN: {result.reason}.", err=True)
    else:
        click.echo(f"BROKEN at audit entry id={result.bad_entry_id}: {result.reason} "
                   f"({result.checked} entries before it are intact).", err=True)
    sys.exit(1)


@group.command("anchor")
def anchor():
    """Write the chain's head to the anchor file, the log and file storage now (the worker does it daily)."""
    key = anchor_head()
    click.echo(f"Anchored to {key}." if key else "The log is empty; nothing to anchor.")
