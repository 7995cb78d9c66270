"""Domain operations: they take ids or values, flush, raise DomainError, and never commit."""


class DomainError(Exception):
    """A rule of the domain refused the operation; `message` is shown to the officer."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class AuditedRefusal(DomainError):
    """A refusal worth a supervisor's look (a self-approval attempt): the attempt is rolled back, then the shared
    action helper calls `record()` in a transaction of its own, which writes the audit entry."""

    def __init__(self, message, record, field=None):
        super().__init__(message, field)
        self.record = record


class NotFound(DomainError):
    """The object does not exist or lies outside the officer's scope (answered as 404)."""


class Forbidden(DomainError):
    """The object is in the officer's scope, but their role may not read or act on it (answered as 403)."""


class Conflict(DomainError):
    """The object changed under the officer (answered as 409)."""
