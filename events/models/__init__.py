from .pages import EventCompany, EventIndexPage, EventKind, EventPage, month_bounds
from .proposals import EventProposal
from .registrations import AgeRange, Companion, Registration, RegistrationStatus

__all__ = [
    "AgeRange",
    "Companion",
    "EventCompany",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "EventProposal",
    "Registration",
    "RegistrationStatus",
    "month_bounds",
]
