"""WSGI entry point: gunicorn wsgi:app, flask --app wsgi ...

`flask --app wsgi idcard ...` gets a bare app holding the `idcard` group alone: reading a card
needs none of the back office (backoffice/commands/idcard.py, issue 19).
"""
import sys

from backoffice import create_app
from backoffice.commands.idcard import create_idcard_app, wants_idcard

app = create_idcard_app() if wants_idcard(sys.argv) else create_app()
