from .pages import EventCompany, EventIndexPage, EventKind, EventPage, attach_neighbourhoods, month_bounds
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
    "attach_neighbourhoods",
    "month_bounds",
]
