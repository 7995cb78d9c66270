"""flask complaints classify [--jsonl] and train: the §10 JSON, one model load, clear error lines for bad input."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backoffice.services.complaints import dataset, routing

KEYS = {"category", "department", "confidence"}


@pytest.fixture
def cli(app, tmp_path):
    """Run a complaints command with the app's CLI runner; returns (exit code, output lines as JSON)."""
    app.instance_path = str(tmp_path)  # an empty instance folder: the packaged model is used
    runner = app.test_cli_runner()

    def run(*args, input=b""):
        result = runner.invoke(args=["complaints", *args], input=input)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        return result.exit_code, [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]

    return run


def test_classify_prints_the_section_10_json(cli):
    code, [body] = cli("classify", input="Tôi đóng BHXH 10 năm nhưng tra cứu trên VssID thiếu 2 năm".encode())
    assert code == 0 and set(body) == KEYS
    assert body["category"] in dataset.CATEGORIES
    assert body["department"] in {*routing.DEPARTMENTS, routing.TRIAGE}
    assert 0 <= body["confidence"] <= 1


def test_classify_takes_a_hint(cli):
    text = "cho hỏi về hồ sơ".encode()
    _, [plain] = cli("classify", input=text)
    _, [hinted] = cli("classify", "--hint", "app_technical", input=text)
    assert plain != hinted


@pytest.mark.parametrize("raw, code", [(b"", "empty_text"), (b"   \n", "empty_text"),
                                       (b"\xff\xfe b\xe1o hi\xe1m", "not_utf8")])
def test_classify_bad_input_is_one_error_line(cli, raw, code):
    exit_code, [body] = cli("classify", input=raw)
    assert exit_code == 2 and body["error"]["code"] == code and body["error"]["message"]


def test_jsonl_writes_one_result_per_line_with_one_model_load(cli, monkeypatch):
    loads = []
    real = routing.load
    monkeypatch.setattr(routing, "load", lambda path: loads.append(path) or real(path))
    _, test = dataset.split(dataset.load_corpus())
    lines = [{"text": e.text, "hint": e.hint} for e in test[:40]]
    raw = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    code, bodies = cli("classify", "--jsonl", input=raw)
    assert code == 0 and len(bodies) == 40 and all(set(b) == KEYS for b in bodies)
    assert len(loads) == 2  # the (empty) instance folder, then the packaged model: once for all lines
    router = real(routing.PACKAGED_MODEL)
    assert bodies[5] == router.route(test[5].text, test[5].hint).as_dict()


def test_jsonl_keeps_an_id_and_skips_blank_lines(cli):
    code, bodies = cli("classify", "--jsonl", input=b'\n{"id": "A-1", "text": "app b\xc3\xa1o l\xe1\xbb\x97i"}\n\n')
    assert code == 0 and len(bodies) == 1 and bodies[0]["id"] == "A-1" and KEYS < set(bodies[0])


def test_jsonl_bad_lines_get_an_error_line_and_the_rest_is_classified(cli):
    raw = b"\n".join([
        b'{"text": "t\xc3\xb4i ch\xc6\xb0a nh\xe1\xba\xadn ti\xe1\xbb\x81n thai s\xe1\xba\xa3n"}',
        b"{not json",
        b"\xff\xfe\xfd",
        b'{"text": ""}',
        b'{"hint": "benefits"}',
        b'["a list"]',
        b'{"text": "ok", "hint": 5}',
        b'{"text": "the bhyt sai ngay sinh"}',
    ]) + b"\n"
    code, bodies = cli("classify", "--jsonl", input=raw)
    assert code == 2 and len(bodies) == 8
    assert set(bodies[0]) == KEYS and set(bodies[7]) == KEYS
    assert [(b["line"], b["error"]["code"]) for b in bodies[1:7]] == [
        (2, "invalid_json"), (3, "not_utf8"), (4, "empty_text"), (5, "invalid_text"), (6, "invalid_json"),
        (7, "invalid_hint")]
    assert all(b["error"]["message"] for b in bodies[1:7])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.binary(max_size=80).filter(lambda b: b"\n" not in b and b"\r" not in b), min_size=1,
                      max_size=5))
def test_jsonl_any_bytes_give_one_json_line_per_non_blank_line(cli, lines):
    _, bodies = cli("classify", "--jsonl", input=b"\n".join(lines) + b"\n")
    assert len(bodies) == sum(1 for line in lines if line.strip())
    assert all(set(b) == KEYS or set(b) == {"line", "error"} for b in bodies)


def test_train_reports_before_and_after_and_keeps_the_model(cli, tmp_path, small_corpus):
    corrections = tmp_path / "c.jsonl"
    corrections.write_text('{"text": "app VssID không nhận mã OTP", "category": "app_technical"}\n', encoding="utf-8")
    output = tmp_path / "model.joblib"
    code, [report] = cli("train", "--corpus", str(small_corpus), "--corrections", str(corrections),
                         "--output", str(output))
    assert code == 0 and report["kept"] and report["corrections"] == 1 and report["before"] is None
    assert report["after"]["texts"] > 0 and output.is_file()
    code, [again] = cli("train", "--corpus", str(small_corpus), "--output", str(output))
    assert again["before"] == report["after"] and again["corrections"] == 0


def test_train_with_bad_corrections_is_a_clear_error(cli, tmp_path):
    corrections = tmp_path / "c.jsonl"
    corrections.write_bytes(b'{"text": "x", "category": "weather"}\n')
    code, [body] = cli("train", "--corrections", str(corrections))
    assert code == 2 and body["error"]["code"] == "bad_training_data" and "c.jsonl:1" in body["error"]["message"]
