"""Periodic jobs, run by `rq cron backoffice/tasks/cron.py` (the Procfile's `clock`)."""
from rq import cron

from backoffice.tasks.audit import anchor_head

cron.register(anchor_head, queue_name="default", cron="30 0 * * *", name="audit-anchor")  # 00:30 UTC daily
