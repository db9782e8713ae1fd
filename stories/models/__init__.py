from .accounts import CompanyAccount
from .companies import OFFER_KINDS, CompanyIndexPage, CompanyOffer, CompanyPage
from .consent import (
    CONSENT_COLLECTION_NAME,
    ConsentRequired,
    PortraitConsent,
    enforce_consent,
    go_live_problems,
    may_be_public,
    may_be_public_filter,
    public_problems,
)
from .consent_handover import ConsentHandover
from .directory import DispositifIndexPage
from .portraits import PortraitIndexPage, PortraitPage, PortraitTag, PrivacyLevel
from .taxonomies import Dispositif, Sector, StartingPoint

__all__ = [
    "CONSENT_COLLECTION_NAME",
    "OFFER_KINDS",
    "CompanyAccount",
    "CompanyIndexPage",
    "CompanyOffer",
    "CompanyPage",
    "ConsentHandover",
    "ConsentRequired",
    "Dispositif",
    "DispositifIndexPage",
    "PortraitConsent",
    "PortraitIndexPage",
    "PortraitPage",
    "PortraitTag",
    "PrivacyLevel",
    "Sector",
    "StartingPoint",
    "enforce_consent",
    "go_live_problems",
    "may_be_public",
    "may_be_public_filter",
    "public_problems",
]
