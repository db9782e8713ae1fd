"""Portraits, companies and schemes (dispositifs) arrive with issue #3."""
