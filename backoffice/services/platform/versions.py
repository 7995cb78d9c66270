"""Versions shared by every worker: a number per key that moves when a transaction that wrote what it stands for
commits. A worker may keep something read from the database (a queue's page, a signed-in officer) under the
versions it was read at, and use it while they stand.

- `note(name, keys)` in a transaction: the keys move when it commits, and not at all if it rolls back;
- `current(name, keys)`: a token naming the keys' versions now, or None when they cannot be known (then read
  fresh: keeping something is never a reason to show older data);
- the versions live in Redis, so a commit in one worker reaches every worker's next request; a key is started at a
  random number, so a Redis that restarted or was emptied never meets an old version again. Every worker also
  counts its own commits, so the one that wrote sees it even when Redis failed. An app without Redis (the embedded
  `make run`) keeps nothing: no process could hear of another's writes;
- `written(name)`: whether this transaction noted keys of `name` (a request that wrote reads fresh).
"""
import logging
import secrets
import threading

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session

from backoffice.extensions import db

log = logging.getLogger(__name__)
_NOTED = "platform_versions_noted"  # session.info: {(name, key)} written in this transaction


def note(name, keys, session=None):
    """Move `keys` of `name` when the current transaction commits."""
    noted = (session or db.session()).info.setdefault(_NOTED, set())
    noted.update((name, key) for key in keys)


def written(name):
    """Whether the current transaction noted keys of `name`."""
    return any(noted == name for noted, _ in db.session().info.get(_NOTED, ()))


@event.listens_for(Session, "after_commit")
def _move(session):
    noted = session.info.pop(_NOTED, None)
    if noted:
        _store().move(noted)


@event.listens_for(Session, "after_soft_rollback")
def _nothing_written(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(_NOTED, None)


class _Store:
    def __init__(self, redis, prefix):
        self.redis, self.prefix = redis, prefix
        self.local = {}
        self.lock = threading.Lock()

    def _key(self, name, key):
        return f"{self.prefix}:versions:{name}:{key}"

    def move(self, noted):
        with self.lock:
            for item in noted:
                self.local[item] = self.local.get(item, 0) + 1
        if self.redis is None:
            return
        try:
            with self.redis.pipeline(transaction=False) as pipe:
                for name, key in noted:
                    pipe.incr(self._key(name, key))
                pipe.execute()
        except RedisError:
            log.warning("versions: Redis did not take a move of %d key(s); other workers keep what they read for "
                        "the time they keep it", len(noted))

    def current(self, name, keys):
        if self.redis is None:
            return None
        local = tuple(self.local.get((name, key), 0) for key in keys)
        names = [self._key(name, key) for key in keys]
        try:
            shared = self.redis.mget(names)
            if None in shared:  # never moved, or Redis lost it: start at a number nothing was kept under
                for redis_key, value in zip(names, shared):
                    if value is None:
                        self.redis.set(redis_key, secrets.randbits(62), nx=True)
                shared = self.redis.mget(names)
                if None in shared:
                    return None
        except RedisError:
            return None
        return (*local, *shared)


def _store():
    store = current_app.extensions.get("versions")
    if store is None:
        jobs = current_app.extensions.get("jobs")
        store = current_app.extensions.setdefault("versions", _Store(
            getattr(jobs, "redis", None), current_app.config.get("RATELIMIT_KEY_PREFIX", "backoffice")))
    return store


def current(name, keys):
    """A token for the versions of `keys` of `name` now (compare it with the one a kept thing was read at), or None
    when Redis does not answer."""
    return _store().current(name, tuple(keys))
