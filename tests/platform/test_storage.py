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


@pytest.fixture
def scratch_database():
    """An empty PostgreSQL database of this test's own (named after the test database, so parallel runs differ)."""
    from sqlalchemy import create_engine, text

    from tests.conftest import DATABASE_URL, _engine_url

    name = DATABASE_URL.rsplit("/", 1)[1] + "_file_keys"
    admin = create_engine(_engine_url(DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_migration_0008_gives_existing_files_unguessable_keys(scratch_database):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from backoffice import create_app
    from backoffice.extensions import db
    from tests.conftest import _settings

    app = create_app(**_settings(scratch_database))
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO offices (id, code, name, level, path, address, phone, email) "
                                    "VALUES (1, '00131', 'BHXH', 'local', '/00131/', '', '', '')"))
            for number in range(3):
                connection.execute(text("INSERT INTO stored_files (storage_key, content_type, size, office_id, "
                                        "purpose, created_at) VALUES (:key, 'image/jpeg', 1, 1, 'id_front', now())"),
                                   {"key": f"id_front/{number}"})
        upgrade(revision="0008")
        with db.engine.connect() as connection:
            keys = connection.execute(text("SELECT key FROM stored_files")).scalars().all()
        assert len(set(keys)) == 3
        assert all(len(key) == 43 and key.replace("-", "").replace("_", "").isalnum() for key in keys)
        downgrade(revision="0007")
        assert "key" not in {column["name"] for column in inspect(db.engine).get_columns("stored_files")}
        db.engine.dispose()
