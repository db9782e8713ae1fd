from .pages import EventCompany, EventIndexPage, EventKind, EventPage, month_bounds
from .proposals import EventProposal, ProposalOutcome
from .registrations import AgeRange, Companion, Registration, RegistrationStatus

__all__ = [
    "AgeRange",
    "Companion",
    "EventCompany",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "EventProposal",
    "ProposalOutcome",
    "Registration",
    "RegistrationStatus",
    "month_bounds",
]
