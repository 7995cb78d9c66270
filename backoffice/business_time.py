"""The business time zone, in one place: every local date and deadline is counted in Vietnam time.

A leaf (it imports nothing of ours), so the ID-card package can date a card check too; everything else reads the
clock through `services.platform.calendar.now()` / `today()`.
"""
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
