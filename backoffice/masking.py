"""Masks for citizen contact data in logs, lists and exports (DESIGN.md §9, §11)."""


def mask_phone(phone):
    """0912345678 → 0912****78: enough to recognise, not enough to reuse."""
    phone = phone or ""
    return phone[:4] + "****" + phone[-2:] if len(phone) > 6 else "****"


def mask_id(number):
    """079123451554 → 0791****1554: enough to recognise an ID number, not to reuse it."""
    return (number[:4] + "****" + number[-4:]) if number and len(number) > 8 else "****"


def mask_email(email):
    """nguyenvana@example.vn → ng***@example.vn."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"


def mask_recipient(channel, recipient):
    """The right mask for an SMS number or an email address."""
    return mask_phone(recipient) if channel == "sms" else mask_email(recipient)
