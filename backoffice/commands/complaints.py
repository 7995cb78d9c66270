"""flask complaints classify [--jsonl] [--hint TOPIC] | flask complaints train [--corrections FILE] (DESIGN.md §10).

Errors are one JSON line {"error": {"code", "message"}} (with "line" in --jsonl mode), never a traceback:
the command is fed by scripts, and a bad line must not stop the lines after it.
"""
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from backoffice.services import complaints

group = AppGroup("complaints", help="Phản ánh, kiến nghị: phân loại theo nội dung (complaint routing).")

EXIT_BAD_INPUT = 2


def _error(code, message, line=None):
    body = {"error": {"code": code, "message": message}}
    return {"line": line, **body} if line is not None else body


def _emit(obj):
    click.echo(json.dumps(obj, ensure_ascii=False))


def _decode(raw: bytes):
    """The text of raw bytes, or None if they are not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


NOT_UTF8 = ("not_utf8", "Dữ liệu vào không phải UTF-8: hãy lưu văn bản ở mã UTF-8 rồi gửi lại.")


def _route_line(router, number, raw):
    """The output object of one --jsonl line (a result or an error)."""
    line = _decode(raw)
    if line is None:
        return _error(*NOT_UTF8, line=number)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return _error("invalid_json", f"Dòng không phải JSON hợp lệ ({error.msg}): mỗi dòng là một "
                      '{"text": "..."}.', line=number)
    if not isinstance(record, dict):
        return _error("invalid_json", 'Mỗi dòng phải là một đối tượng JSON {"text": "..."}.', line=number)
    hint = record.get("hint")
    if hint is not None and not isinstance(hint, str):
        return _error("invalid_hint", "Trường 'hint' phải là chuỗi (mã chủ đề) hoặc bỏ trống.", line=number)
    try:
        result = router.route(record.get("text"), hint).as_dict()
    except complaints.RoutingError as error:
        return _error(error.code, error.message, line=number)
    return {"id": record["id"], **result} if "id" in record else result


@group.command("classify")
@click.option("--jsonl", is_flag=True, help='Read one {"text": ..., "hint": ...} per line, write one result per line.')
@click.option("--hint", type=click.Choice(complaints.CATEGORIES), help="The topic the citizen picked (a hint only).")
def classify(jsonl, hint):
    """Read a complaint's text on stdin and print {"category", "department", "confidence"}."""
    stdin = sys.stdin.buffer
    if not jsonl:
        text = _decode(stdin.read())
        if text is None:
            _emit(_error(*NOT_UTF8))
            sys.exit(EXIT_BAD_INPUT)
        try:
            complaints.check_text(text)
        except complaints.RoutingError as error:
            _emit(_error(error.code, error.message))
            sys.exit(EXIT_BAD_INPUT)
        _emit(_router().route(text, hint).as_dict())
        return
    router, failed = None, False
    for number, raw in enumerate(stdin, 1):
        if not raw.strip():
            continue
        router = router or _router()  # loaded once, and only if there is something to classify
        result = _route_line(router, number, raw)
        failed = failed or "error" in result
        _emit(result)
        sys.stdout.flush()
    if failed:
        sys.exit(EXIT_BAD_INPUT)


def _router():
    return complaints.current_router(current_app.instance_path)


@group.command("train")
@click.option("--corrections", "corrections_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSONL of officers\' re-routes: {"text", "category", optional "hint"} per line.')
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labelled corpus (default: the one shipped with the app).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Model file to compare with and replace (default: the instance folder's).")
def train(corrections_file, corpus, output):
    """Retrain from the corpus and officers' corrections; keep the new model only if it is not worse."""
    try:
        extra = complaints.read_corrections(corrections_file) if corrections_file else []
        report = complaints.train(current_app.instance_path, extra, corpus_path=corpus, output=output)
    except complaints.CorpusError as error:
        _emit(_error("bad_training_data", str(error)))
        sys.exit(EXIT_BAD_INPUT)
    _emit({"before": report.before, "after": report.after, "kept": report.kept, "corrections": report.corrections,
           "model": str(report.path) if report.kept else None, "cross_validation": report.out_of_fold})
    if not report.kept:
        click.echo("Mô hình mới kém hơn trên tập kiểm tra cố định: giữ mô hình cũ.", err=True)
