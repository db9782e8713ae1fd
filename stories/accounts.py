"""Optional company accounts: the people of one company may edit its CompanyPage, nothing else.

Edits go through the site-wide review workflow (they have no publish permission), and the events
admin shows them the proposals made under their account. Idempotent like ``home.onboarding``:
running it again re-applies the grants and creates nothing."""

from django.contrib.auth.models import Group
from django.db import transaction

from home.roles import ensure_admin_access, free_group_name, grant_page
from stories.models import CompanyAccount, CompanyPage

# Only "change": no "add" (a company page has no children), no "publish" (coordinators review),
# no "lock" (a company must not hold its page against the coordinators).
COMPANY_PAGE_PERMISSIONS = ("change_page",)


@transaction.atomic
def ensure_company_account(company_page):
    """Return ``(account, created)`` for this company, creating its group and grants if missing."""
    page = company_page if isinstance(company_page, CompanyPage) else company_page.specific
    account = CompanyAccount.objects.filter(company=page).select_related("group").first()
    created = account is None
    if created:
        group = Group.objects.create(name=free_group_name(f"Entreprise — {page.title}", page.slug))
        account = CompanyAccount.objects.create(company=page, group=group)
    ensure_admin_access(account.group)
    grant_page(account.group, page, COMPANY_PAGE_PERMISSIONS)
    return account, created


def company_pages_for(user):
    """The companies whose account ``user`` belongs to (usually one, none for most users)."""
    if not user.is_authenticated or not user.is_active:
        return CompanyPage.objects.none()
    return CompanyPage.objects.filter(account__group__in=user.groups.all())
