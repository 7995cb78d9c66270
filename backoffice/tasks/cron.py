"""Periodic jobs, run by `rq cron --url $REDIS_URL backoffice.tasks.cron` (the Procfile's `clock`)."""
from rq import cron

from backoffice.tasks.api import purge_idempotency_records
from backoffice.tasks.audit import anchor_head
from backoffice.tasks.casework import sweep_deadlines
from backoffice.tasks.complaints import escalate_overdue_consults
from backoffice.tasks.declarations import reject_no_shows, sweep_stale_extractions
from backoffice.tasks.notifications import relay
from backoffice.tasks.reissue import apply_payout_changes
from backoffice.tasks.supervision import detect_flags, refresh_rollups, verify_audit_chain
from config import Config

cron.register(anchor_head, queue_name="default", cron="30 0 * * *", name="audit-anchor")  # 00:30 UTC daily
# The outbox sweep: retries whose backoff is over, rows whose enqueue was lost or whose worker died.
cron.register(relay, queue_name="notifications", interval=Config.OUTBOX_SWEEP_SECONDS, name="outbox-sweep")
# Declarations whose extraction job was lost (Redis down at submit, worker killed) are re-run.
cron.register(sweep_stale_extractions, queue_name="extraction", interval=300, name="extraction-sweep")
cron.register(purge_idempotency_records, queue_name="default", cron="15 * * * *", name="idempotency-purge")  # hourly
# Cases past 75% of their time are marked due soon, past 100% escalated (idempotent; in-process: jobs.py).
cron.register(sweep_deadlines, queue_name="default", interval=300, name="casework-deadline-sweep")
# Consults to another office past their deadline go to both offices' heads, once (the owner's case cannot close).
cron.register(escalate_overdue_consults, queue_name="default", interval=600, name="complaint-consult-sweep")
# Approved payout changes take effect once their cooling-off period is over.
cron.register(apply_payout_changes, queue_name="default", interval=600, name="reissue-payout-changes")
# Supervision: dashboard rollups from the new audit entries every 10 minutes (a cron, not an interval: an interval job
# runs as the clock starts, and tests/notifications/test_redis_outage hung with the worker busy on it when Redis went
# away); the anomaly flags hourly; the chain check for its page.
cron.register(refresh_rollups, queue_name="default", cron="*/10 * * * *", name="supervision-rollups")
cron.register(detect_flags, queue_name="default", cron="50 * * * *", name="supervision-flags")
cron.register(verify_audit_chain, queue_name="default", cron="45 0 * * *", name="audit-verify")  # 00:45 UTC daily
# Cases waiting for the citizen past their deadline (the end of a working day, 17:00 Vietnam time) are rejected
# with NO_SHOW; hourly, so one passed at 17:00 goes at 17:05 (10:05 UTC).
cron.register(reject_no_shows, queue_name="default", cron="5 * * * *", name="no-show-sweep")
