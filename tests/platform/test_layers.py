"""Import rules import-linter cannot see: services never use the request's objects (DESIGN.md §9, rule 3)."""
import ast
from pathlib import Path

import backoffice

SERVICES = Path(backoffice.__file__).parent / "services"
REQUEST_OBJECTS = {"request", "session", "g", "current_user"}


def request_objects_imported(path):
    """Names of the request's objects that a module imports from Flask or Flask-Login."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module in {"flask", "flask_login"} for alias in node.names if alias.name in REQUEST_OBJECTS}


def test_services_never_import_the_request_session_or_current_user():
    found = {str(path.relative_to(SERVICES)): names for path in SERVICES.rglob("*.py")
             if (names := request_objects_imported(path))}
    assert found == {}


def test_the_check_sees_such_an_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from flask import current_app, request\nfrom flask_login import current_user\n")
    assert request_objects_imported(module) == {"request", "current_user"}
