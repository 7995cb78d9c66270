"""`flask --app wsgi idcard ...` without building the back office (issue 19: start-up <= 1.5 s).

Reading a card needs no database, blueprint or service: when the command line asks for the
`idcard` group, `wsgi.py` serves it from a bare Flask app holding that group alone. Every other
command, and gunicorn, get the whole app from `create_app`.
"""

import os

# flask's own options that take a value (the first argument that is neither is the command's name)
_VALUED = {"--app", "-A", "--env-file", "-e"}


def command_name(argv: list[str]) -> str | None:
    """The command group a `flask ...` command line asks for, or None (not the flask CLI, or none)."""
    program = os.path.normpath(argv[0]) if argv else ""
    if os.path.basename(program) != "flask" and not program.endswith(os.path.join("flask", "__main__.py")):
        return None
    args = iter(argv[1:])
    for arg in args:
        if arg in _VALUED:
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def wants_idcard(argv: list[str]) -> bool:
    """True for `flask [--app wsgi] idcard ...`."""
    return command_name(argv) == "idcard"


def create_idcard_app():
    """A bare Flask app whose CLI holds the `idcard` group alone."""
    from flask import Flask

    from backoffice.idcard.cli import idcard_cli

    app = Flask("backoffice")
    app.cli.add_command(idcard_cli)
    return app
