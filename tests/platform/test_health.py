"""GET /healthz reports the database and Redis."""
import pytest


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


class TestRedisDown:
    @pytest.fixture
    def app_settings(self, app_settings):
        app_settings["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
        return app_settings

    def test_unhealthy_is_503(self, client):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json["checks"] == {"database": "ok", "redis": "unavailable"}
