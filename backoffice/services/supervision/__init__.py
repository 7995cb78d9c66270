"""Supervision (DESIGN.md §8): blind re-review by sample, anomaly flags, who saw a citizen, the audit log,
dashboards over rollups, and exports.

Supervision reads the case domains; none of them imports it. Each domain is read through an adapter registered
here (`sources.register_source`): declarations, reissue requests (stratified per reissue type) and complaint answers.
"""
from backoffice.services.supervision import access_report, auditlog, exports, flags, rollups, sampling
from backoffice.services.supervision.casework_source import ComplaintSource, ReissueSource
from backoffice.services.supervision.declaration_source import DeclarationSource
from backoffice.services.supervision.reach import reach
from backoffice.services.supervision.sources import SOURCES, register_source

register_source(DeclarationSource())
register_source(ReissueSource())
register_source(ComplaintSource())

__all__ = ["SOURCES", "access_report", "auditlog", "exports", "flags", "reach", "register_source", "rollups",
           "sampling"]
