import json

import pytest
from click.testing import CliRunner

from backoffice.idcard.cli import idcard_cli
from backoffice.idcard.images import MAX_BYTES

from .files import encoded, huge_png


def run(*args):
    result = CliRunner().invoke(idcard_cli, ["extract", *map(str, args)])
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize("content, code", [
    (b"", "empty"),
    (b"not an image at all", "not_an_image"),
    (encoded("JPEG", size=(300, 200))[:400], "truncated"),
    (huge_png(10_000, 9_000), "too_many_pixels"),
])
def test_bad_front_exits_2_with_json_error(tmp_path, content, code):
    path = tmp_path / "front.jpg"
    path.write_bytes(content)
    exit_code, body = run(path)
    assert exit_code == 2 and body["error"]["code"] == code and body["error"]["message"]


def test_missing_file(tmp_path):
    exit_code, body = run(tmp_path / "nope.jpg")
    assert exit_code == 2 and body["error"]["code"] == "missing_file"


def test_oversized_file_is_not_read(tmp_path):
    path = tmp_path / "big.jpg"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    exit_code, body = run(path)
    assert exit_code == 2 and body["error"]["code"] == "too_large"


def test_bad_back_is_reported_too(tmp_path, sample):
    card = sample("cmnd")
    (tmp_path / "front.jpg").write_bytes(card.front)
    (tmp_path / "back.jpg").write_bytes(b"")
    exit_code, body = run(tmp_path / "front.jpg", "--back", tmp_path / "back.jpg")
    assert exit_code == 2 and body["error"]["code"] == "empty"


def test_blank_photo_is_a_result_not_an_error(tmp_path):
    path = tmp_path / "blank.png"
    path.write_bytes(encoded("PNG", size=(800, 500)))
    exit_code, body = run(path)
    assert exit_code == 0
    assert body["document_type"] == "unknown" and body["fields"] == {}
    assert set(body) == {"document_type", "fields", "warnings", "elapsed_ms"}


def test_chip_card_prints_the_section_10_json(tmp_path, sample):
    card = sample("cccd_chip")
    (tmp_path / "f.jpg").write_bytes(card.front)
    (tmp_path / "b.jpg").write_bytes(card.back)
    exit_code, body = run(tmp_path / "f.jpg", "--back", tmp_path / "b.jpg")
    assert exit_code == 0 and body["document_type"] == "cccd_chip"
    assert body["fields"]["id_number"] == {"value": card.identity.id_number, "source": "qr", "confidence": 0.99}
    assert body["fields"]["date_of_birth"]["value"] == card.identity.date_of_birth.isoformat()


def test_registering_the_command_does_not_load_the_extractor():
    # issue 19: `flask --app wsgi idcard extract` paid for OpenCV and Tesseract at start-up
    import subprocess
    import sys
    from pathlib import Path

    probe = ("import sys, backoffice.idcard, backoffice.idcard.cli; "
             "print(sorted(m for m in ('cv2', 'tesserocr', 'zxingcpp', 'backoffice.idcard.pipeline')"
             " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("argv, name", [
    (["/venv/bin/flask", "--app", "wsgi", "idcard", "extract", "f.jpg"], "idcard"),
    (["flask", "-A", "wsgi", "--debug", "idcard", "extract"], "idcard"),
    (["flask", "-e", "idcard", "db", "upgrade"], "db"),  # an option's value is not the command
    (["flask", "--app=wsgi", "demo", "seed", "idcard"], "demo"),
    (["/venv/bin/gunicorn", "idcard", "wsgi:app"], None),  # not the flask CLI
    (["flask", "--version"], None),
    (["/venv/lib/python3/site-packages/flask/__main__.py", "idcard", "extract"], "idcard"),  # python -m flask
    (["/venv/lib/python3/site-packages/rq/__main__.py", "idcard"], None),
])
def test_command_name_of_a_flask_command_line(argv, name):
    from backoffice.commands.idcard import command_name, wants_idcard

    assert command_name(argv) == name
    assert wants_idcard(argv) is (name == "idcard")


def test_flask_idcard_does_not_build_the_back_office():
    """Issue 19: `flask --app wsgi idcard` serves the group from a bare app (no blueprints, no models)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    probe = ("import sys; sys.argv = ['flask', '--app', 'wsgi', 'idcard', 'extract']; import wsgi; "
             "print(sorted(wsgi.app.cli.commands), 'backoffice.app' in sys.modules, "
             "'backoffice.views' in sys.modules, 'sqlalchemy' in sys.modules, 'cv2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['idcard']", "False", "False", "False", "False"]


def test_flask_idcard_extract_runs_through_wsgi(tmp_path, sample):
    """The §10 interface itself: `flask --app wsgi idcard extract FRONT --back BACK` prints the JSON."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    card = sample("cmnd")
    (tmp_path / "front.jpg").write_bytes(card.front)
    (tmp_path / "back.jpg").write_bytes(card.back)
    flask = Path(sys.executable).parent / "flask"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([str(flask), "--app", "wsgi", "idcard", "extract", str(tmp_path / "front.jpg"),
                          "--back", str(tmp_path / "back.jpg")], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
    body = json.loads(out.stdout)
    assert body["document_type"] == "cmnd" and body["fields"]["id_number"]["value"] == card.identity.id_number


@pytest.mark.parametrize("content, code", [(b"", "empty"), (b"\x00\xff" * 500, "not_an_image")])
def test_a_photo_refused_at_once_exits_2_not_an_abort(tmp_path, content, code):
    """The real process: a photo refused before OpenCV finished importing on the colour-table thread
    used to end in `terminate called without an active exception` (SIGABRT, exit 134) after the JSON."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "front.jpg").write_bytes(content)
    flask = Path(sys.executable).parent / "flask"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([str(flask), "--app", "wsgi", "idcard", "extract", str(tmp_path / "front.jpg")],
                         cwd=root, capture_output=True, text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    assert out.returncode == 2, out.stderr
    assert json.loads(out.stdout)["error"]["code"] == code
    assert "terminate" not in out.stderr
