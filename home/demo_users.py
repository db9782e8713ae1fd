"""Fictional accounts for the demo: one coordinator and one partner editor per pilot neighbourhood
(here), and one company account (``stories.demo``, through ``create_demo_account``).

Each password is generated and printed once, when the account is created (like the local admin's);
nothing is ever stored in the repository. Never run in production (``load_demo`` is demo only)."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from home.models import EditorialSpace
from home.roles import COORDINATORS_GROUP

DEMO_EMAIL_DOMAIN = "demo.impact-jeunes.example"

# (username, first name, last name, hub slug or None for the coordinator). Invented people.
DEMO_ACCOUNTS = [
    ("coordination", "Nadia", "Berrada (démo)", None),
    ("redaction-bellevue", "Karim", "Lefèvre (démo)", "parc-bellevue-felix-pyat"),
    ("redaction-lauriers", "Sonia", "Marchetti (démo)", "les-lauriers-olivier-a"),
    ("redaction-tarascon", "Julien", "Aubanel (démo)", "tarascon"),
]


def create_demo_account(username, first_name, last_name, group, role, stdout=None):
    """Create one demo account in ``group`` with a generated password printed once; returns True if
    created, False if it already existed (then nothing changes and nothing is printed)."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return False
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(
        username,
        email=f"{username}@{DEMO_EMAIL_DOMAIN}",
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(group)
    if stdout is not None:
        stdout.write(f"Compte de démonstration « {username} » ({role}) — mot de passe : {password}")
    return True


def ensure_demo_users(stdout=None):
    """Create the missing demo accounts; returns how many were created (0 on a re-run)."""
    User = get_user_model()
    created = 0
    for username, first_name, last_name, hub_slug in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        if hub_slug is None:
            group = Group.objects.get(name=COORDINATORS_GROUP)
            role = "coordination"
        else:
            space = EditorialSpace.objects.filter(neighbourhood__slug=hub_slug).select_related("group").first()
            if space is None:
                continue
            group = space.group
            role = group.name
        created += create_demo_account(username, first_name, last_name, group, role, stdout)
    return created
