"""The database session class: Flask-SQLAlchemy's, with read-only requests in autocommit when they first connect.

A GET view marked `@read_only` (web.read_only) runs its statements without a transaction (no BEGIN and ROLLBACK
around its reads). The mark is put on the request's session; the session takes its connection in autocommit only
when a statement first needs one, so a page that reads nothing from the database (a signed-in officer and a queue
page kept in memory) checks no connection out of the pool at all.
"""
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.engine import Engine

READ_ONLY = "read_only"  # session.info: this request never writes
_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}


class Session(FlaskSession):
    """Flask-SQLAlchemy's session; under `info[READ_ONLY]`, a PostgreSQL engine's autocommit variant (the same
    pool: the connection is set to autocommit at checkout and reset when it goes back)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        chosen = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if self.info.get(READ_ONLY) and isinstance(chosen, Engine) and chosen.dialect.name == "postgresql":
            variant = getattr(chosen, "_read_only_variant", None)
            if variant is None:
                variant = chosen._read_only_variant = chosen.execution_options(**_AUTOCOMMIT)
            return variant
        return chosen
