"""Events, registrations and company proposals arrive with issue #4."""
