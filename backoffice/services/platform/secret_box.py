"""Sealing secrets (temporary passwords) while they wait in the outbox: AES-GCM, key derived from SECRET_KEY.

The sealed box is bound to the message's idempotency key, so it cannot be copied onto another row.
"""
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_INFO = b"backoffice outbox secrets v1"
_NONCE_BYTES = 12


def _key():
    secret = current_app.config["SECRET_KEY"].encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)


def seal(secrets, bound_to):
    """Encrypt a dict of secrets for the message whose idempotency key is `bound_to`."""
    nonce = os.urandom(_NONCE_BYTES)
    plain = json.dumps(secrets, separators=(",", ":")).encode()
    return nonce + AESGCM(_key()).encrypt(nonce, plain, bound_to.encode())


def unseal(box, bound_to):
    """Decrypt a sealed box; raises cryptography's InvalidTag when the key or binding is wrong."""
    nonce, sealed = box[:_NONCE_BYTES], box[_NONCE_BYTES:]
    return json.loads(AESGCM(_key()).decrypt(nonce, sealed, bound_to.encode()))
