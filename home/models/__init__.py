from .images import CustomImage, CustomRendition
from .impact import ImpactFigure
from .pages import (
    HomePage,
    NeighbourhoodIndexPage,
    NeighbourhoodPage,
    NeighbourhoodPartner,
    StandardPage,
)
from .personal_data import PersonalDataAction, PersonalDataAuditEntry
from .site_settings import SiteSettings
from .spaces import EditorialSpace
from .users import User

__all__ = [
    "CustomImage",
    "CustomRendition",
    "EditorialSpace",
    "HomePage",
    "ImpactFigure",
    "NeighbourhoodIndexPage",
    "NeighbourhoodPage",
    "NeighbourhoodPartner",
    "PersonalDataAction",
    "PersonalDataAuditEntry",
    "SiteSettings",
    "StandardPage",
    "User",
]
