"""flask audit verify | anchor."""
import sys

import click
from flask.cli import AppGroup

from backoffice.services.platform import audit
from backoffice.tasks.audit import anchor_head

group = AppGroup("audit", help="Nhật ký kiểm toán (audit log).")


@group.command("verify")
def verify():
    """Exit 0 when the hash chain is intact, else 1 naming the first bad entry."""
    result = audit.verify()
    if result.ok:
        click.echo(f"OK: {result.checked} entries, chain intact.")
        return
    click.echo(f"BROKEN at audit entry id={result.bad_entry_id}: {result.reason} "
               f"({result.checked} entries before it are intact).", err=True)
    sys.exit(1)


@group.command("anchor")
def anchor():
    """Write the chain's head hash to file storage now (the worker also does it daily)."""
    key = anchor_head()
    click.echo(f"Anchored to {key}." if key else "The log is empty; nothing to anchor.")
