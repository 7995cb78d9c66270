"""GET /healthz: database and Redis status for load balancers and monitoring."""
from flask import Blueprint, current_app, jsonify
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from backoffice.extensions import csrf, db, limiter
from backoffice.web.permissions import public

bp = Blueprint("health", __name__)


def _database():
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except SQLAlchemyError:
        db.session.rollback()
        return "unavailable"


def _redis():
    connection = current_app.extensions["jobs"].redis
    if connection is None:
        return "not_configured"
    try:
        connection.ping()
        return "ok"
    except RedisError:
        return "unavailable"


@bp.route("/healthz")
@public
@limiter.exempt
@csrf.exempt
def healthz():
    """200 when every configured dependency answers, 503 otherwise."""
    checks = {"database": _database(), "redis": _redis()}
    healthy = all(value in {"ok", "not_configured"} for value in checks.values())
    return jsonify(status="ok" if healthy else "unavailable", checks=checks), 200 if healthy else 503
