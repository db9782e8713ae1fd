from .images import CustomImage, CustomRendition
from .pages import (
    HomePage,
    NeighbourhoodIndexPage,
    NeighbourhoodPage,
    NeighbourhoodPartner,
    StandardPage,
)
from .site_settings import SiteSettings
from .users import User

__all__ = [
    "CustomImage",
    "CustomRendition",
    "HomePage",
    "NeighbourhoodIndexPage",
    "NeighbourhoodPage",
    "NeighbourhoodPartner",
    "SiteSettings",
    "StandardPage",
    "User",
]
