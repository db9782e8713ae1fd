"""Company accounts: a company's people edit its own page (through review) and see its own
proposals, nothing else. Everything goes through the real admin views."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventIndexPage, EventKind, EventProposal
from events.proposals import create_proposal
from home.models import User
from home.roles import COORDINATORS_GROUP
from stories.accounts import company_pages_for, ensure_company_account
from stories.models import CompanyAccount, CompanyPage
from tests.factories import (
    CompanyPageFactory,
    EventPageFactory,
    PortraitPageFactory,
    RegistrationFactory,
    UserFactory,
)

PROPOSAL_URL = "/evenements/proposer/"
INDEX_URL = "/admin/propositions/"


def is_refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and an error
    message (wagtail.admin.auth.permission_denied), plain Django with a 403."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


@pytest.fixture(autouse=True)
def fresh_cache():
    # The public form's rate limit lives in the cache.
    cache.clear()
    yield
    cache.clear()


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def garage(company_index):
    return publish(
        CompanyPageFactory(
            parent=company_index, title="Garage Moulin", slug="garage-moulin", summary="Un garage qui forme."
        )
    )


@pytest.fixture
def bakery(company_index):
    return publish(CompanyPageFactory(parent=company_index, title="Boulangerie Soleil", slug="boulangerie-soleil"))


@pytest.fixture
def garage_user(garage):
    account, _ = ensure_company_account(garage)
    user = UserFactory(username="nadia.garage", email="nadia@garage.example")
    user.groups.add(account.group)
    return user


@pytest.fixture
def bakery_user(bakery):
    account, _ = ensure_company_account(bakery)
    user = UserFactory(username="yann.boulangerie", email="yann@boulangerie.example")
    user.groups.add(account.group)
    return user


@pytest.fixture
def coordinator(site_tree):
    user = UserFactory(username="coordo", email="coordo@example.org")
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


@pytest.fixture
def event_index(site_tree):
    return EventIndexPage.objects.get()


def proposal_data(**overrides):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=12)
    data = {
        "company_name": "Garage Moulin",
        "contact_name": "Nadia Contact-Garage",
        "contact_email": "nadia.contact@garage.example",
        "contact_phone": "04 90 00 11 22",
        "title": "Job dating de la mécanique",
        "kind": EventKind.JOB_DATING,
        "start_at": start,
        "end_at": start + datetime.timedelta(hours=3),
        "venue": "Atelier (fictif)",
        "address": "1 rue de l'Exemple",
        "postal_code": "13150",
        "commune": "Tarascon",
        "summary": "Rencontrez nos mécaniciens.",
        "description": "<p>Venez avec votre CV.</p>",
        "hiring_for": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def proposals(event_index, garage, bakery):
    _, mine = create_proposal(event_index, proposal_data(), company=garage)
    _, theirs = create_proposal(
        event_index,
        proposal_data(
            company_name="Boulangerie Soleil",
            contact_name="Yann Contact-Secret",
            contact_email="yann.secret@boulangerie.example",
            contact_phone="04 91 99 88 77",
            title="Visite du fournil",
        ),
        company=bakery,
    )
    _, anonymous = create_proposal(
        event_index,
        proposal_data(
            company_name="Transports Anonymes",
            contact_name="Karim Anonyme",
            contact_email="karim@transports.example",
            contact_phone="",
            title="Forum du transport",
        ),
    )
    return {"mine": mine, "theirs": theirs, "anonymous": anonymous}


def company_form_data(page, **overrides):
    fields = {
        "title": page.title,
        "slug": page.slug,
        "sector": page.sector_id,
        "commune": page.commune,
        "website": page.website,
        "summary": page.summary,
        "offers": inline_formset([]),
        "presentation": streamfield([("paragraph", rich_text("<p>Qui nous sommes.</p>"))]),
        "comments": inline_formset([]),
    }
    fields.update(overrides)
    return nested_form_data(fields)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


# --- the account itself --------------------------------------------------------------------------


@pytest.mark.django_db
def test_ensure_company_account_sets_only_change_on_the_page_and_twice_changes_nothing(garage):
    account, created = ensure_company_account(garage)
    assert created
    assert account.company == garage
    assert account.group.name == "Entreprise — Garage Moulin"
    grants = GroupPagePermission.objects.filter(group=account.group)
    assert [(grant.page_id, grant.permission.codename) for grant in grants] == [(garage.pk, "change_page")]
    assert [p.codename for p in account.group.permissions.all()] == ["access_admin"]

    counts = (
        Group.objects.count(),
        CompanyAccount.objects.count(),
        GroupPagePermission.objects.count(),
        account.group.permissions.count(),
    )
    again, created_again = ensure_company_account(Page.objects.get(pk=garage.pk))
    assert not created_again
    assert again.pk == account.pk
    assert (
        Group.objects.count(),
        CompanyAccount.objects.count(),
        GroupPagePermission.objects.count(),
        account.group.permissions.count(),
    ) == counts

    # A grant removed by mistake is put back on the next run.
    grants.delete()
    ensure_company_account(garage)
    assert GroupPagePermission.objects.filter(group=account.group, page=garage).count() == 1


@pytest.mark.django_db
def test_a_taken_group_name_gets_the_slug(company_index):
    Group.objects.create(name="Entreprise — Boulangerie")
    page = CompanyPageFactory(parent=company_index, title="Boulangerie", slug="boulangerie-tarascon")
    account, _ = ensure_company_account(page)
    assert account.group.name == "Entreprise — Boulangerie (boulangerie-tarascon)"


@pytest.mark.django_db
def test_company_pages_for(garage_user, bakery_user, garage, coordinator, admin_user):
    assert list(company_pages_for(garage_user)) == [garage]
    assert not company_pages_for(coordinator).exists()
    assert not company_pages_for(admin_user).exists()
    garage_user.is_active = False
    assert not company_pages_for(garage_user).exists()


# --- the command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_creates_the_account_and_users_and_is_idempotent(garage, capsys, django_capture_on_commit_callbacks):
    existing = UserFactory(username="deja-la", email="Deja@Garage.example")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_company_account",
            "garage-moulin",
            "--email",
            "nouvelle@garage.example",
            "--email",
            "deja@garage.example",
        )
    out = capsys.readouterr().out
    # The new account is mailed a link to choose its password (tests/test_account_invitations.py).
    assert "« Choisissez votre mot de passe » envoyé à nouvelle@garage.example" in out

    account = CompanyAccount.objects.get(company=garage)
    created = User.objects.get(email="nouvelle@garage.example")
    assert not created.has_usable_password()
    assert set(account.group.user_set.all()) == {created, existing}
    assert existing.has_usable_password()

    counts = (User.objects.count(), Group.objects.count(), GroupPagePermission.objects.count())
    call_command("create_company_account", "garage-moulin", "--email", "nouvelle@garage.example")
    assert (User.objects.count(), Group.objects.count(), GroupPagePermission.objects.count()) == counts
    assert "inchangé" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_refuses_an_unknown_company_or_a_bad_address(garage):
    with pytest.raises(CommandError, match="Aucune entreprise avec l'adresse « garage-inconnu »"):
        call_command("create_company_account", "garage-inconnu")
    with pytest.raises(CommandError, match="Adresse e-mail invalide"):
        call_command("create_company_account", "garage-moulin", "--email", "pas-une-adresse")
    assert not CompanyAccount.objects.exists()
    assert not User.objects.exists()


# --- editing its own page, through review --------------------------------------------------------


@pytest.mark.django_db
def test_company_user_submits_a_change_for_review(client, garage, garage_user):
    client.force_login(garage_user)
    response = client.get(edit_url(garage))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html

    response = client.post(
        edit_url(garage), company_form_data(garage, summary="Nouvelle phrase", **{"action-submit": "1"})
    )
    assert response.status_code == 302

    live = CompanyPage.objects.get(pk=garage.pk)
    assert live.live
    assert live.summary == "Un garage qui forme."
    assert live.has_unpublished_changes
    assert live.workflow_in_progress
    latest = live.get_latest_revision()
    assert latest.user == garage_user
    assert latest.as_object().summary == "Nouvelle phrase"
    assert live.live_revision != latest
    assert "Nouvelle phrase" not in client.get(garage.url).content.decode()


@pytest.mark.django_db
def test_company_user_cannot_publish(client, garage, garage_user):
    client.force_login(garage_user)
    live_revision = garage.live_revision
    response = client.post(edit_url(garage), company_form_data(garage, summary="Publiée ?", **{"action-publish": "1"}))
    assert response.status_code in {200, 302}
    live = CompanyPage.objects.get(pk=garage.pk)
    assert live.summary == "Un garage qui forme."
    assert live.live_revision == live_revision
    assert "Publiée ?" not in client.get(garage.url).content.decode()


@pytest.mark.django_db
def test_company_user_cannot_edit_any_other_page(client, garage, bakery, garage_user, neighbourhood, event_index):
    portrait = PortraitPageFactory(parent=neighbourhood, live=False)
    event = EventPageFactory(parent=event_index, title="Forum de Tarascon")
    client.force_login(garage_user)
    for page in (
        bakery,
        portrait,
        neighbourhood,
        event,
        event_index,
        garage.get_parent(),
        garage.get_parent().get_parent(),
    ):
        assert is_refused(client.get(edit_url(page))), page
    before = CompanyPage.objects.get(pk=bakery.pk).latest_revision_id
    response = client.post(edit_url(bakery), company_form_data(bakery, summary="Piratée", **{"action-submit": "1"}))
    assert is_refused(response)
    assert CompanyPage.objects.get(pk=bakery.pk).latest_revision_id == before


@pytest.mark.django_db
def test_company_user_cannot_add_pages_nor_touch_media_or_users(client, garage, garage_user, neighbourhood):
    assert not PagePermissionPolicy().user_has_permission(garage_user, "add")
    assert not PagePermissionPolicy().user_has_permission(garage_user, "publish")
    for page in Page.objects.all():
        perms = page.permissions_for_user(garage_user)
        assert not perms.can_add_subpage(), page
        assert not perms.can_publish(), page
        assert not perms.can_delete(), page
        assert not perms.can_lock(), page

    client.force_login(garage_user)
    for parent in (garage, garage.get_parent(), neighbourhood):
        assert is_refused(client.get(reverse("wagtailadmin_pages:add_subpage", args=[parent.pk])))
    add_company = reverse("wagtailadmin_pages:add", args=["stories", "companypage", garage.get_parent().pk])
    assert is_refused(client.get(add_company))

    assert garage_user.get_all_permissions() == {"wagtailadmin.access_admin"}
    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        assert not policy.user_has_any_permission(garage_user, ["add", "change", "delete", "choose"])
    for codename in ("add_user", "change_user", "change_group", "add_group"):
        assert not garage_user.has_perm(f"auth.{codename}")
        assert not garage_user.has_perm(f"home.{codename}")
    assert is_refused(client.get(reverse("wagtailusers_users:index")))
    assert is_refused(client.get(reverse("wagtailusers_groups:index")))
    assert is_refused(client.get(reverse("wagtailimages:index")))


# --- proposals in the admin ----------------------------------------------------------------------


@pytest.mark.django_db
def test_company_user_sees_only_its_own_proposals(client, garage_user, proposals):
    client.force_login(garage_user)
    response = client.get(INDEX_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Job dating de la mécanique" in html
    for absent in ("Visite du fournil", "Boulangerie Soleil", "Forum du transport", "Transports Anonymes"):
        assert absent not in html
    assert "/admin/propositions/new/" not in html
    assert "/admin/propositions/edit/" not in html
    assert "/admin/propositions/delete/" not in html
    assert client.get(INDEX_URL + "?q=fournil").status_code == 200
    assert "Visite du fournil" not in client.get(INDEX_URL + "?q=fournil").content.decode()

    mine = client.get(reverse("propositions:inspect", args=[proposals["mine"].pk]))
    assert mine.status_code == 200
    detail = mine.content.decode()
    assert "nadia.contact@garage.example" in detail
    assert "Job dating de la mécanique (en relecture)" in detail
    # The company may not edit the event page: no link to it.
    assert reverse("wagtailadmin_pages:edit", args=[proposals["mine"].event_id]) not in detail

    for other in ("theirs", "anonymous"):
        assert client.get(reverse("propositions:inspect", args=[proposals[other].pk])).status_code == 404
    # View only: no correcting or deleting, even of its own.
    response = client.get(reverse("propositions:edit", args=[proposals["mine"].pk]))
    assert response.status_code == 404 or is_refused(response)
    response = client.post(reverse("propositions:delete", args=[proposals["mine"].pk]))
    assert response.status_code == 404 or is_refused(response)
    assert EventProposal.objects.count() == 3


@pytest.mark.django_db
def test_menus_follow_the_permissions(client, garage_user, coordinator, proposals, neighbourhood):
    RegistrationFactory(event=EventPageFactory(parent=neighbourhood), first_name="Amina", last_name="Inscrite")
    client.force_login(garage_user)
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/propositions/" in dashboard
    assert "/admin/inscriptions/" not in dashboard
    response = client.get(reverse("inscriptions:index"))
    assert is_refused(response) or "Inscrite" not in response.content.decode()

    client.force_login(coordinator)
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/propositions/" in dashboard
    assert "/admin/inscriptions/" in dashboard

    nobody = UserFactory(username="sans-droits")
    nobody.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(nobody)
    assert "/admin/propositions/" not in client.get("/admin/").content.decode()
    assert is_refused(client.get(INDEX_URL))
    response = client.get(reverse("propositions:inspect", args=[proposals["mine"].pk]))
    assert response.status_code == 404 or is_refused(response)


@pytest.mark.django_db
def test_coordinator_sees_all_and_attaches_an_anonymous_proposal(client, coordinator, garage, garage_user, proposals):
    client.force_login(coordinator)
    html = client.get(INDEX_URL).content.decode()
    for title in ("Job dating de la mécanique", "Visite du fournil", "Forum du transport"):
        assert title in html
    assert "Rattacher à une entreprise" in html
    assert reverse("propositions:edit", args=[proposals["anonymous"].pk]) in html

    anonymous = proposals["anonymous"]
    detail = client.get(reverse("propositions:inspect", args=[anonymous.pk])).content.decode()
    assert "karim@transports.example" in detail
    assert "Aucun compte entreprise" in detail
    # Coordinators may edit the draft event: its title links to the page editor.
    assert reverse("wagtailadmin_pages:edit", args=[anonymous.event_id]) in detail
    assert reverse("propositions:edit", args=[anonymous.pk]) in detail

    url = reverse("propositions:edit", args=[anonymous.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="company"' in form.content.decode()
    assert 'name="contact_email"' not in form.content.decode()
    response = client.post(url, {"company": garage.pk, "contact_email": "pirate@example.org"})
    assert response.status_code == 302
    anonymous.refresh_from_db()
    assert anonymous.company_id == garage.pk
    assert anonymous.contact_email == "karim@transports.example"

    # Once attached, the company sees it.
    client.force_login(garage_user)
    assert client.get(reverse("propositions:inspect", args=[anonymous.pk])).status_code == 200


@pytest.mark.django_db
def test_only_companies_with_an_account_can_be_attached(client, coordinator, company_index, proposals):
    no_account = CompanyPageFactory(parent=company_index, title="Sans Compte")
    client.force_login(coordinator)
    url = reverse("propositions:edit", args=[proposals["anonymous"].pk])
    assert "Sans Compte" not in client.get(url).content.decode()
    response = client.post(url, {"company": no_account.pk})
    assert response.status_code == 200
    proposals["anonymous"].refresh_from_db()
    assert proposals["anonymous"].company_id is None


@pytest.mark.django_db
def test_coordinator_can_delete_a_proposal_and_there_is_no_add_view(client, coordinator, proposals):
    client.force_login(coordinator)
    assert client.get("/admin/propositions/new/").status_code == 404
    response = client.post(reverse("propositions:delete", args=[proposals["theirs"].pk]))
    assert response.status_code == 302
    assert not EventProposal.objects.filter(pk=proposals["theirs"].pk).exists()


# --- the public form ----------------------------------------------------------------------------


def public_form_data(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=12)
    data = {
        "company_name": "Garage Moulin",
        "contact_name": "Nadia",
        "contact_email": "nadia@garage.example",
        "contact_phone": "",
        "title": "Portes ouvertes de l'atelier",
        "kind": EventKind.COMPANY_VISIT,
        "start_date": day.isoformat(),
        "start_time": "09:30",
        "end_date": "",
        "end_time": "12:00",
        "venue": "Atelier (fictif)",
        "address": "1 rue de l'Exemple",
        "postal_code": "13150",
        "commune": "Tarascon",
        "neighbourhood": "territoire",
        "summary": "Venez voir nos ateliers.",
        "description": "Visite et rencontre avec les apprentis.",
        "hiring_for": "",
        "notice_accepted": "on",
        "site_web": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_logged_in_company_user_proposal_is_attached_to_the_company(client, event_index, garage, garage_user):
    client.force_login(garage_user)
    assert client.post(PROPOSAL_URL, public_form_data()).status_code == 302
    assert EventProposal.objects.get().company_id == garage.pk

    client.logout()
    assert client.post(PROPOSAL_URL, public_form_data(title="Anonyme")).status_code == 302
    assert EventProposal.objects.get(event__title="Anonyme").company_id is None


@pytest.mark.django_db
def test_someone_in_two_company_accounts_is_not_guessed(client, event_index, garage_user, bakery):
    account, _ = ensure_company_account(bakery)
    garage_user.groups.add(account.group)
    client.force_login(garage_user)
    assert client.post(PROPOSAL_URL, public_form_data()).status_code == 302
    assert EventProposal.objects.get().company_id is None


@pytest.mark.django_db
def test_hub_editor_keeps_the_registrations_menu(client, neighbourhood):
    # The « Inscriptions » menu now needs an event the user may edit, not just any page.
    event = EventPageFactory(parent=neighbourhood)
    RegistrationFactory(event=event, first_name="Amina", last_name="Tarasconnaise")
    group = Group.objects.create(name="Coordination Tarascon")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=neighbourhood,
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page"),
    )
    editor = UserFactory(username="coord-tarascon")
    editor.groups.add(group)
    client.force_login(editor)
    assert "/admin/inscriptions/" in client.get("/admin/").content.decode()
    assert "Tarasconnaise" in client.get(reverse("inscriptions:index")).content.decode()
    assert "/admin/propositions/" not in client.get("/admin/").content.decode()
