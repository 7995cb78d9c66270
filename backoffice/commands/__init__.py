"""Command-line interface: flask --app wsgi <group> <command>."""


def register_commands(app):
    """Attach every command group to the app."""
    from backoffice.commands import apikey, audit, calendar, complaints, demo, review
    from backoffice.idcard.cli import idcard_cli

    for group in (apikey.group, audit.group, calendar.group, complaints.group, demo.group, review.group, idcard_cli):
        app.cli.add_command(group)
