"""File storage: local folder and S3-compatible (moto's server over real HTTP)."""
import boto3
import pytest
from moto.server import ThreadedMotoServer

from backoffice.storage import StorageError, from_url


def exercise(storage):
    key = storage.put(b"\xff\xd8 image bytes", prefix="id_front")
    assert key.startswith("id_front/") and len(key.split("/")[-1]) == 32
    assert storage.get(key) == b"\xff\xd8 image bytes"
    storage.delete(key)
    storage.delete(key)  # idempotent
    with pytest.raises(StorageError):
        storage.get(key)
    for bad in ("../../etc/passwd", "id_front/2026/01/01/short", ""):
        with pytest.raises(StorageError):
            storage.get(bad)


def test_local_storage(tmp_path):
    storage = from_url(f"file://{tmp_path}/files")
    exercise(storage)
    key = storage.put(b"x")
    assert (tmp_path / "files" / key).read_bytes() == b"x"


@pytest.fixture
def s3_endpoint(monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}.items():
        monkeypatch.setenv(name, value)
    yield f"http://{host}:{port}"
    server.stop()


def test_s3_storage(s3_endpoint):
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket="backoffice")
    storage = from_url(f"s3://backoffice/prod?endpoint_url={s3_endpoint}&region=us-east-1")
    exercise(storage)


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="STORAGE_URL"):
        from_url("ftp://example/files")
