"""Password hashing (argon2id) and temporary passwords."""
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from backoffice.services import DomainError

_hasher = PasswordHasher()
MIN_LENGTH = 10
# No look-alike characters: temporary passwords are read off an SMS or a slip of paper.
_TEMP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def hash_password(password):
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash, password):
    """True when the password matches the hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def temporary_password(length=12):
    """A random password to be changed at first use."""
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))


def check_strength(password, username=""):
    """Refuse passwords that are too short or contain the login name."""
    if len(password) < MIN_LENGTH:
        raise DomainError(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.", field="new_password")
    if username and username.lower() in password.lower():
        raise DomainError("Mật khẩu không được chứa tên đăng nhập.", field="new_password")
