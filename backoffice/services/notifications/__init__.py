"""Citizen-facing messages: `notify()` writes to the outbox in the caller's transaction; the outbox relays,
message templates render, receipts update delivery status. This is the package's public API."""
from backoffice.services.notifications.messages import (
                                                      PROBLEM_STATUSES,
                                                      RESEND_LIMIT,
                                                      apply_receipts,
                                                      case_messages,
                                                      confirm_sent,
                                                      normalise_phone,
                                                      notify,
                                                      problem_messages,
                                                      receipt_signature_ok,
                                                      recent_resends,
                                                      register_credential_issuer,
                                                      requeue,
                                                      resend,
)

__all__ = ["PROBLEM_STATUSES", "RESEND_LIMIT", "apply_receipts", "case_messages", "confirm_sent", "normalise_phone",
           "notify", "problem_messages", "receipt_signature_ok", "recent_resends", "register_credential_issuer",
           "requeue", "resend"]
