"""All models, imported here so Alembic and the app see the whole schema."""
from backoffice.models.account import AccountStatus, ETransactionAccount
from backoffice.models.api_client import ApiKey, IdempotencyRecord
from backoffice.models.audit import AuditEntry
from backoffice.models.base import Base
from backoffice.models.calendar import CalendarDay, CalendarYear
from backoffice.models.casework import CaseEvent, CaseEventKind
from backoffice.models.complaint import (
    Complaint,
    ComplaintAttachment,
    ComplaintConsult,
    ComplaintDraft,
    ComplaintKind,
    ComplaintState,
    LetterSequence,
    RoutingCorrection,
)
from backoffice.models.declaration import (
    Declaration,
    DeclarationDocument,
    DeclarationKind,
    DeclarationState,
    DocumentKind,
)
from backoffice.models.office import Department, DepartmentCode, Office, OfficeLevel
from backoffice.models.officer import Officer, OfficerSession, Role
from backoffice.models.outbox import OutboxMessage
from backoffice.models.participant import Participant
from backoffice.models.register import Benefit, HealthCard, InsuranceBook
from backoffice.models.reissue import ReissueDocument, ReissueRequest, ReissueState, ReissueType
from backoffice.models.stored_file import StoredFile
from backoffice.models.supervision import (  # noqa: F401 - registered for Alembic and the app
    AnomalyFlag,
    AnomalyFlagCase,
    BacklogSnapshot,
    DailyRollup,
    ExportJob,
    ReasonRollup,
    ReviewItem,
    ReviewSample,
    ReviewVerdict,
    SupervisionMark,
)

__all__ = [
    "AccountStatus",
    "ApiKey",
    "Declaration",
    "DeclarationDocument",
    "DeclarationKind",
    "DeclarationState",
    "DocumentKind",
    "ETransactionAccount",
    "IdempotencyRecord",
    "Participant",
    "AuditEntry",
    "Benefit",
    "CaseEvent",
    "CaseEventKind",
    "HealthCard",
    "InsuranceBook",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintConsult",
    "ComplaintDraft",
    "ComplaintKind",
    "ComplaintState",
    "LetterSequence",
    "ReissueDocument",
    "RoutingCorrection",
    "ReissueRequest",
    "ReissueState",
    "ReissueType",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Department",
    "DepartmentCode",
    "Office",
    "OfficeLevel",
    "Officer",
    "OfficerSession",
    "OutboxMessage",
    "Role",
    "StoredFile",
]
