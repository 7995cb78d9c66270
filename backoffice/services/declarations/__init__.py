"""The declarations domain (Tờ khai Mẫu 01): its public API for views, tasks and other readers.

The workflow (queue, claims, decisions) is in `workflow`; intake, payload rules, checks, extraction,
PDFs, rejection reasons and the demo data are modules of this package.
"""
from backoffice.services.declarations import waiting  # the waiting cases: resume, extend, no-show, documents
from backoffice.services.declarations.checks import refresh as refresh_checks
from backoffice.services.declarations.search import find_at_counter
from backoffice.services.declarations.workflow import (
                                                       CASE_TYPE,
                                                       CLAIM_IDLE,
                                                       PAGE_SIZE,
                                                       QueueFilters,
                                                       SelfApprovalRefused,
                                                       approve,
                                                       await_citizen,
                                                       claim,
                                                       confirm_second_approval,
                                                       contact_viewed,
                                                       count_second_approvals,
                                                       deadline,
                                                       duplicate_records,
                                                       forget_counts,
                                                       get_for,
                                                       guardian,
                                                       last_change,
                                                       officer_names,
                                                       queue_page,
                                                       record_self_approval_refused,
                                                       reject,
                                                       release,
                                                       reopen_for_correction,
                                                       return_to_proposer,
                                                       second_approvals,
                                                       side_by_side,
                                                       take_next,
                                                       timeline,
                                                       touch,
)

__all__ = ["CASE_TYPE", "CLAIM_IDLE", "PAGE_SIZE", "QueueFilters", "SelfApprovalRefused", "approve",
           "await_citizen", "claim", "confirm_second_approval", "contact_viewed", "count_second_approvals",
           "deadline", "duplicate_records", "find_at_counter", "forget_counts", "get_for", "guardian",
           "last_change", "officer_names", "queue_page", "record_self_approval_refused", "refresh_checks", "reject",
           "release", "reopen_for_correction", "return_to_proposer", "second_approvals", "side_by_side", "take_next",
           "timeline", "touch",
           "waiting"]
