"""Accounts that open: a new partner or company account gets a « Choisissez votre mot de passe » e-mail,
follows the link, chooses a password and signs in; « Mot de passe oublié ? » works for accounts that
never had a password and tells nothing about which addresses exist; no Gravatar; the demo's company
account."""

import datetime
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from home.invitations import InvitationTokenGenerator, invitation_url
from home.models import NeighbourhoodPage, User
from stories.models import CompanyAccount, CompanyPage
from tests.factories import CompanyPageFactory, UserFactory

PUBLIC = "https://impact-jeunes.example"
LINK = re.compile(r"https?://\S+")
NEW_PASSWORD = "Un-mot-de-passe-bien-long-2026"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public(settings):
    settings.SITE_URL = PUBLIC
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


@pytest.fixture
def garage(company_index):
    page = CompanyPageFactory(parent=company_index, title="Garage Moulin", slug="garage-moulin")
    page.save_revision().publish()
    return page


def links(message):
    return LINK.findall(message.body)


def invitation_link(message):
    (link,) = [url for url in links(message) if "/admin/bienvenue/" in url]
    return link


def choose_password(client, link, password=NEW_PASSWORD):
    """Follow the link as a browser would, then submit the form it shows. Returns the final response."""
    response = client.get(urlsplit(link).path)
    # Django moves the token out of the address (into the session) before showing the form.
    assert response.status_code == 302
    form_url = response.url
    assert "/set-password/" in form_url
    page = client.get(form_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Choisissez votre mot de passe" in text
    return client.post(form_url, {"new_password1": password, "new_password2": password})


# --- the invitation -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_company_account_is_mailed_a_link_to_choose_its_password(
    client, public, garage, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_company_account", "garage-moulin", "--email", "Nadia@Garage.example", stdout=out)
    user = User.objects.get(email="Nadia@garage.example")
    assert not user.has_usable_password()
    assert "E-mail « Choisissez votre mot de passe » envoyé à Nadia@garage.example" in out.getvalue()

    (message,) = mail.outbox
    assert message.to == ["Nadia@garage.example"]
    assert message.subject == "Choisissez votre mot de passe — Impact Jeunes"
    # « vous »: company staff are adults contacted in a professional setting.
    assert "Un compte a été créé pour vous" in message.body
    assert "modifier la page de Garage Moulin" in message.body
    assert "Votre identifiant : Nadia@garage.example" in message.body
    assert "valable 14 jours" in message.body
    assert " tu " not in message.body
    assert "ton mot de passe" not in message.body
    for url in links(message):
        assert url.startswith(f"{PUBLIC}/"), url
    assert f"{PUBLIC}/admin/login/" in links(message)

    response = choose_password(client, invitation_link(message))
    assert response.status_code == 302
    assert response.url == reverse("account_password_set")
    done = client.get(response.url).content.decode()
    assert "Votre mot de passe est enregistré" in done
    assert reverse("wagtailadmin_login") in done

    user.refresh_from_db()
    assert user.has_usable_password()
    # The link does not sign in: the person signs in like everyone else (and any second factor applies).
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "Nadia@garage.example", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[garage.pk])).status_code == 200


@pytest.mark.django_db
def test_the_link_works_once(client, public, garage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_company_account", "garage-moulin", "--email", "nadia@garage.example", stdout=StringIO())
    link = invitation_link(mail.outbox[0])
    assert choose_password(client, link).status_code == 302

    again = client.get(urlsplit(link).path)
    assert again.status_code == 200
    text = again.content.decode()
    assert "Ce lien n'est plus valable" in text
    assert reverse("wagtailadmin_password_reset") in text
    assert 'name="new_password1"' not in text


@pytest.mark.django_db
def test_weak_passwords_are_refused_with_a_reason(client, public, garage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_company_account", "garage-moulin", "--email", "nadia@garage.example", stdout=StringIO())
    response = choose_password(client, invitation_link(mail.outbox[0]), password="azerty")
    assert response.status_code == 200
    assert "trop court" in response.content.decode()
    assert not User.objects.get(email="nadia@garage.example").has_usable_password()


@pytest.mark.django_db
def test_the_invitation_lives_longer_than_a_reset_link_but_not_forever(settings):
    settings.ACCOUNT_INVITATION_DAYS = 14
    user = UserFactory(username="invitee", email="invitee@example.org")
    user.set_unusable_password()
    user.save()

    def token_made(days_ago):
        class Then(InvitationTokenGenerator):
            def _now(self):
                return datetime.datetime.now() - datetime.timedelta(days=days_ago)

        return Then().make_token(user)

    checker = InvitationTokenGenerator()
    assert checker.check_token(user, token_made(0))
    assert checker.check_token(user, token_made(10))  # Django's reset links die after 3 days
    assert not checker.check_token(user, token_made(15))
    # A reset token is no invitation token, and the other way round.
    from django.contrib.auth.tokens import default_token_generator

    assert not checker.check_token(user, default_token_generator.make_token(user))
    assert not default_token_generator.check_token(user, checker.make_token(user))
    assert not checker.check_token(user, "not-a-token")


@pytest.mark.django_db
def test_a_tampered_link_shows_no_form(client, public):
    user = UserFactory(username="invitee", email="invitee@example.org")
    user.set_unusable_password()
    user.save()
    link = invitation_url(user)
    other = UserFactory(username="other", email="other@example.org")
    path = urlsplit(link).path
    uid = path.split("/")[3]
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    forged = path.replace(uid, urlsafe_base64_encode(force_bytes(other.pk)))
    response = client.get(forged)
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.content.decode()


@pytest.mark.django_db
def test_onboarding_invites_new_editors_and_editors_added_later(
    public, neighbourhood_index, django_capture_on_commit_callbacks
):
    def onboard(*editors):
        out = StringIO()
        args = ["Les Tilleuls", "--commune", "Marseille 14e", "--department", "13"]
        for editor in editors:
            args += ["--editor", editor]
        with django_capture_on_commit_callbacks(execute=True):
            call_command("onboard_neighbourhood", *args, stdout=out)
        return out.getvalue()

    onboard("amel@asso.example")
    (message,) = mail.outbox
    assert message.to == ["amel@asso.example"]
    assert "rédiger les pages du quartier Les Tilleuls" in message.body
    assert invitation_link(message).startswith(f"{PUBLIC}/admin/bienvenue/")

    # Run again with the same editor and a new one: only the newcomer is invited.
    mail.outbox.clear()
    output = onboard("amel@asso.example", "bruno@asso.example")
    assert [m.to for m in mail.outbox] == [["bruno@asso.example"]]
    assert "amel@asso.example rédige déjà pour Les Tilleuls" in output
    hub = NeighbourhoodPage.objects.get(slug="les-tilleuls")
    assert set(hub.editorial_space.group.user_set.values_list("email", flat=True)) == {
        "amel@asso.example",
        "bruno@asso.example",
    }

    # An account that already has a password is added, and not sent a link it does not need.
    mail.outbox.clear()
    UserFactory(username="chloe", email="chloe@asso.example")
    onboard("chloe@asso.example")
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_invitation_for_existing_accounts_and_none_on_a_rerun(garage, django_capture_on_commit_callbacks):
    existing = UserFactory(username="deja-la", email="deja@garage.example")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_company_account", "garage-moulin", "--email", "new@garage.example", "--email",
            "deja@garage.example", stdout=StringIO(),
        )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["new@garage.example"]]
    assert existing.groups.filter(pk=CompanyAccount.objects.get().group_id).exists()

    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_company_account", "garage-moulin", "--email", "new@garage.example", stdout=out)
    assert mail.outbox == []
    assert "peut déjà modifier la page de Garage Moulin" in out.getvalue()


@pytest.mark.django_db
def test_the_command_warns_when_its_address_is_not_the_sites(settings, garage, django_capture_on_commit_callbacks):
    # `make run PORT=8001` set the Site record to 8001; a command run by hand without PORT would mail 8000.
    settings.SITE_URL = "http://127.0.0.1:8001"
    call_command("setup_site", stdout=StringIO())
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    err = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_company_account", "garage-moulin", "--email", "new@garage.example", stdout=StringIO(), stderr=err
        )
    assert "pointe vers http://127.0.0.1:8001 alors que SITE_URL vaut http://127.0.0.1:8000" in err.getvalue()


@pytest.mark.django_db
def test_a_failed_send_says_what_to_do_and_keeps_the_account(garage, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.test_registrations.BrokenBackend"
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_company_account", "garage-moulin", "--email", "new@garage.example", stdout=out)
    assert "n'est pas parti" in out.getvalue()
    assert "Mot de passe oublié ?" in out.getvalue()
    assert User.objects.filter(email="new@garage.example").exists()


# --- « Mot de passe oublié ? » -----------------------------------------------------------------------


def ask_reset(client, email):
    return client.post(reverse("wagtailadmin_password_reset"), {"email": email}, follow=True)


@pytest.mark.django_db
def test_forgotten_password_works_for_an_account_that_never_had_one(client, public, garage):
    user = User.objects.create_user(username="nadia@garage.example", email="nadia@garage.example")
    user.set_unusable_password()
    user.save()

    response = ask_reset(client, "NADIA@garage.example")
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.to == ["nadia@garage.example"]
    (link,) = [url for url in links(message) if "/password_reset/confirm/" in url]
    assert link.startswith(f"{PUBLIC}/admin/password_reset/confirm/")

    form_url = client.get(urlsplit(link).path).url
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert (
        authenticate(RequestFactory().post("/admin/login/"), username="nadia@garage.example", password=NEW_PASSWORD)
        == user
    )


@pytest.mark.django_db
def test_forgotten_password_tells_nothing_about_which_addresses_exist(client, public):
    invited = User.objects.create_user(username="invited", email="invited@example.org")
    invited.set_unusable_password()
    invited.save()
    UserFactory(username="with-password", email="with-password@example.org")
    inactive = UserFactory(username="gone", email="gone@example.org", is_active=False)

    answers = {}
    for email in ("invited@example.org", "with-password@example.org", "gone@example.org", "nobody@example.org"):
        response = ask_reset(client, email)
        answers[email] = (response.status_code, [url for url, _ in response.redirect_chain], main_text(response))
    assert len(set(map(repr, answers.values()))) == 1, answers
    # Mail only to the active accounts that exist.
    assert sorted(m.to[0] for m in mail.outbox) == ["invited@example.org", "with-password@example.org"]
    assert inactive.email not in [m.to[0] for m in mail.outbox]


@pytest.mark.django_db
def test_forgotten_password_mails_one_address_a_few_times_an_hour_and_says_nothing(client, public, settings):
    settings.PASSWORD_RESET_LIMITS = (3, 5)
    cache.clear()  # counters of earlier tests' requests, same client address
    UserFactory(username="lina", email="lina@example.org")
    UserFactory(username="omar", email="omar@example.org")
    answers = {main_text(ask_reset(client, "lina@example.org")) for _ in range(5)}
    # Three links reach Lina; the next requests are dropped, with the very same answer on screen.
    assert [m.to for m in mail.outbox] == [["lina@example.org"]] * 3
    assert len(answers) == 1
    # The same client has used its 5 requests for the hour: Omar's link is not sent either.
    assert main_text(ask_reset(client, "omar@example.org")) in answers
    assert len(mail.outbox) == 3
    # From another address, Omar's link goes.
    client.post(reverse("wagtailadmin_password_reset"), {"email": "omar@example.org"}, REMOTE_ADDR="203.0.113.9")
    assert mail.outbox[-1].to == ["omar@example.org"]


def main_text(response):
    from bs4 import BeautifulSoup

    main = BeautifulSoup(response.content, "html.parser").find("main")
    return " ".join(main.get_text(" ").split())


# --- Gravatar ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_never_asks_gravatar_for_an_avatar(admin_client, admin_user, site_tree):
    UserFactory(username="autre", email="autre@example.org")
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailadmin_account"),
        reverse("wagtailusers_users:edit", args=[admin_user.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "gravatar" not in html.lower(), url
        assert "avatar" in html  # the avatar is there, drawn from Wagtail's own default image


# --- the demo ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_a_company_account_whose_password_is_printed_once(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = dict(re.findall(r"Compte de démonstration « ([\w-]+) » \(.*?\) — mot de passe : (\S+)", out.getvalue()))
    assert set(printed) == {
        "coordination",
        "redaction-bellevue",
        "redaction-lauriers",
        "redaction-tarascon",
        "entreprise-fournil",
    }
    for username, password in printed.items():
        assert authenticate(RequestFactory().post("/admin/login/"), username=username, password=password) is not None, (
            username
        )

    company = CompanyPage.objects.get(slug="fournil-du-parc")
    user = User.objects.get(username="entreprise-fournil")
    assert user.email.endswith("@demo.impact-jeunes.example")
    assert "(démo)" in user.last_name
    assert list(user.groups.all()) == [CompanyAccount.objects.get(company=company).group]
    assert client.login(username="entreprise-fournil", password=printed["entreprise-fournil"])
    assert client.get(reverse("wagtailadmin_pages:edit", args=[company.pk])).status_code == 200
    other = CompanyPage.objects.exclude(pk=company.pk).first()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[other.pk])).status_code != 200

    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "mot de passe" not in again.getvalue()
    assert CompanyAccount.objects.count() == 1
