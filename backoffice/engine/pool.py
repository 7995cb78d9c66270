"""Connection health: a pooled connection is pinged only when it sat idle, not on every checkout.

`pool_pre_ping` costs a round trip per request. A connection that sat idle for a while may have been cut by a
database restart, a failover or a firewall, so that one is pinged and, if dead, replaced before the request sees
it (SQLAlchemy retries the checkout with a fresh connection). One handed back a moment ago is almost always
alive; when it is not (a restart under load), the request that gets it fails once and the pool drops it.
"""
import time

from sqlalchemy import event, exc

IDLE_PING_SECONDS = 10.0
_CHECKED_IN = "checked_in_at"


def configure(engine, idle_seconds=IDLE_PING_SECONDS):
    """Install the checkin/checkout hooks on the engine's pool."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        since = record.info.get(_CHECKED_IN)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new, or back in the pool only a moment ago
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()  # the ping must leave no transaction open
        except Exception as error:  # the driver's own error types differ; any failure means a dead connection
            raise exc.DisconnectionError() from error
