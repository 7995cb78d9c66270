"""flask apikey create CHANNEL | revoke PREFIX | list: channel keys of the intake API."""
import click
from flask.cli import AppGroup

from backoffice.extensions import db
from backoffice.services import DomainError
from backoffice.services.platform import api_keys

group = AppGroup("apikey", help="Khoá API của các kênh (channel API keys).")


@group.command("create")
@click.argument("channel", type=click.Choice(api_keys.CHANNELS))
def create(channel):
    """Create a key for CHANNEL and print it once (only its hash is kept)."""
    record, key = api_keys.create(channel, actor_label="cli")
    db.session.commit()
    click.echo(key)
    click.echo(f"Khoá {api_keys.display(record)} cho kênh {channel}: chỉ hiển thị một lần, hãy lưu lại ngay.", err=True)


@group.command("revoke")
@click.argument("prefix")
def revoke(prefix):
    """Revoke the key whose prefix (the 8 characters after bhxh_) is PREFIX."""
    try:
        record = api_keys.revoke(prefix.removeprefix("bhxh_").split("_")[0], actor_label="cli")
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Đã thu hồi {api_keys.display(record)} ({record.channel}).")


@group.command("list")
def listing():
    """List keys by prefix, channel and status (never the keys themselves)."""
    for record in api_keys.listing():
        status = f"thu hồi {record.revoked_at:%Y-%m-%d %H:%M}" if record.revoked_at else "đang dùng"
        click.echo(f"{api_keys.display(record):18} {record.channel:10} {record.created_at:%Y-%m-%d} {status}")
