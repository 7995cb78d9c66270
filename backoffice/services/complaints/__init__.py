"""The complaints domain (phản ánh, kiến nghị): its public API for views, tasks, commands and other readers.

For now it routes a complaint by its text (`routing`); the workflow, consults and drafts come next.
"""
from backoffice.services.complaints.dataset import (
                                                    CATEGORIES,
                                                    CorpusError,
                                                    Example,
                                                    corrections,
                                                    read_corrections,
                                                    register_corrections_source,
)
from backoffice.services.complaints.routing import (
                                                    DEPARTMENT_OF,
                                                    TRIAGE,
                                                    ModelError,
                                                    Route,
                                                    RoutingError,
                                                    TrainingReport,
                                                    check_text,
                                                    classify,
                                                    current_router,
                                                    train,
)

__all__ = ["CATEGORIES", "DEPARTMENT_OF", "TRIAGE", "CorpusError", "Example", "ModelError", "Route", "RoutingError",
           "TrainingReport", "check_text", "classify", "corrections", "current_router", "read_corrections",
           "register_corrections_source", "train"]
