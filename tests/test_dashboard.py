"""The editors' dashboard on the admin home: each editor sees their own neighbourhood only,
coordinators see everything, and the panel's cost does not grow with the content."""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import dashboard
from events.models import EventIndexPage
from home.onboarding import onboard_neighbourhood
from home.roles import COORDINATORS_GROUP
from tests.factories import (
    CompanyPageFactory,
    EventPageFactory,
    NeighbourhoodPageFactory,
    PortraitConsentFactory,
    PortraitPageFactory,
    RegistrationFactory,
    UserFactory,
    publish_portrait,
)

PANEL_HEADING = re.compile(r'<h2[^>]*id="impact-dashboard-heading"')


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def submit(page, user):
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def send_back(page, editor, reviewer, comment):
    state = submit(page, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment=comment)
    state.refresh_from_db()
    assert state.status == "needs_changes"
    return state


def event_at(parent, title, start, **kwargs):
    return EventPageFactory(
        parent=parent, title=title, start_at=start, end_at=start + datetime.timedelta(hours=3), **kwargs
    )


def dashboard_html(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def panel_html(content):
    """The panel's own markup, so that Wagtail's other home panels cannot make a test pass."""
    start = content.find('id="impact-dashboard-section"')
    assert start != -1, "no dashboard panel"
    end = content.find("</section>", start)
    return content[start:end]


@pytest.fixture
def hubs(neighbourhood_index):
    bellevue = NeighbourhoodPageFactory(parent=neighbourhood_index, title="Bellevue", slug="bellevue")
    pyat = NeighbourhoodPageFactory(parent=neighbourhood_index, title="Félix Pyat", slug="felix-pyat")
    return {
        "a": bellevue,
        "b": pyat,
        "space_a": onboard_neighbourhood(bellevue)[0],
        "space_b": onboard_neighbourhood(pyat)[0],
    }


@pytest.fixture
def editor(hubs):
    user = UserFactory(username="redaction-bellevue", first_name="Inès", last_name="Rédactrice")
    user.groups.add(hubs["space_a"].group)
    return user


@pytest.fixture
def other_editor(hubs):
    user = UserFactory(username="redaction-pyat", first_name="Hugo", last_name="Rédacteur")
    user.groups.add(hubs["space_b"].group)
    return user


@pytest.fixture
def coordinator(hubs):
    user = UserFactory(username="coordination", first_name="Claire", last_name="Coordinatrice")
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


@pytest.fixture
def content(hubs, editor, other_editor, coordinator):
    """One of everything in each hub, plus what must never be listed."""
    a, b = hubs["a"], hubs["b"]
    now = timezone.now().replace(microsecond=0)

    submit(PortraitPageFactory(parent=a, live=False, title="Portrait de Bellevue en relecture"), editor)
    send_back(
        PortraitPageFactory(parent=a, live=False, title="Portrait de Bellevue à reprendre"),
        editor,
        coordinator,
        "Ajoutez la légende de la photo <script>alert('x')</script>",
    )
    submit(PortraitPageFactory(parent=b, live=False, title="Portrait de Pyat en relecture"), other_editor)
    send_back(
        PortraitPageFactory(parent=b, live=False, title="Portrait de Pyat à reprendre"),
        other_editor,
        coordinator,
        "Commentaire pour Félix Pyat",
    )

    publish_portrait(a, title="Portrait de Sami", consent={"expires_on": days(10), "subject_name": "Samuel Secret"})
    publish_portrait(a, title="Portrait de Lina", consent={"expires_on": days(40)})
    withdrawn = PortraitPageFactory(parent=a, live=False, title="Portrait de Yanis")
    PortraitConsentFactory(portrait=withdrawn, expires_on=days(5), withdrawn_on=timezone.localdate())
    publish_portrait(b, title="Portrait de Nour", consent={"expires_on": days(12)})

    forum = event_at(a, "Forum de Bellevue", now + datetime.timedelta(days=3), capacity=5)
    for status in ("confirmed", "confirmed", "confirmed", "waiting", "waiting", "cancelled"):
        RegistrationFactory(event=forum, status=status)
    event_at(a, "Forum passé de Bellevue", now - datetime.timedelta(days=2))
    event_at(b, "Forum de Félix Pyat", now + datetime.timedelta(days=4))
    territory = event_at(
        EventIndexPage.objects.get(), "Grand forum du territoire", now + datetime.timedelta(days=5), capacity=None
    )
    RegistrationFactory(event=territory, status="confirmed")
    return {"forum": forum, "territory": territory}


@pytest.mark.django_db
def test_editor_sees_their_hub_only(client, content, editor):
    panel = panel_html(dashboard_html(client, editor))
    text = html.unescape(panel)

    assert "Votre quartier : Bellevue" in text
    for heading in (
        "En attente de relecture",
        "À reprendre",
        "Consentements qui expirent dans les 30 jours",
        "Prochains événements",
    ):
        assert re.search(rf"<h3[^>]*>{re.escape(heading)}</h3>", text), heading

    assert "Portrait de Bellevue en relecture" in text
    assert "Inès Rédactrice" in text  # who submitted it
    assert "Portrait de Bellevue à reprendre" in text
    assert "Claire Coordinatrice" in text  # who sent it back
    # The reviewer's comment is shown, escaped.
    assert "Ajoutez la légende de la photo &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in panel
    assert "<script>alert" not in panel

    assert "Portrait de Sami" in text
    assert f"{days(10).day} " in text
    sami = dashboard.PortraitConsent.objects.get(portrait__title="Portrait de Sami")
    assert reverse("wagtailadmin_pages:edit", args=[sami.portrait_id]) in panel
    # The ledger is coordinators-only: no link to it, none of its personal data.
    assert "/admin/consentements/" not in panel
    assert "Samuel Secret" not in text

    forum = content["forum"]
    row = re.search(r"<tr>\s*<th scope=\"row\" class=\"title\">\s*<a[^>]*>Forum de Bellevue</a>.*?</tr>", panel, re.S)
    assert row, "the forum's row"
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(0), re.S)]
    # date, confirmed, seats left, waiting, link
    assert cells[1:4] == ["3", "2", "2"]
    assert f'href="/admin/inscriptions/?event={forum.pk}"' in row.group(0)

    for absent in (
        "Félix Pyat",
        "Portrait de Pyat",
        "Commentaire pour Félix Pyat",
        "Portrait de Nour",
        "Grand forum du territoire",
        "Portrait de Lina",  # consent expires in 40 days
        "Portrait de Yanis",  # consent withdrawn
        "Forum passé de Bellevue",
    ):
        assert absent not in text, absent


@pytest.mark.django_db
def test_coordinator_sees_every_hub_and_territory_events(client, content, coordinator):
    panel = panel_html(dashboard_html(client, coordinator))
    text = html.unescape(panel)

    assert "Tous les quartiers" in text
    for title in (
        "Portrait de Bellevue en relecture",
        "Portrait de Pyat en relecture",
        "Portrait de Bellevue à reprendre",
        "Portrait de Pyat à reprendre",
        "Commentaire pour Félix Pyat",
        "Portrait de Sami",
        "Portrait de Nour",
        "Forum de Bellevue",
        "Forum de Félix Pyat",
        "Grand forum du territoire",
        "Tout le territoire",
    ):
        assert title in text, title
    for absent in ("Portrait de Lina", "Portrait de Yanis", "Forum passé de Bellevue"):
        assert absent not in text, absent

    # Coordinators also get the ledger record; the subject's name stays on the ledger's own page.
    sami = dashboard.PortraitConsent.objects.get(portrait__title="Portrait de Sami")
    assert reverse("consentements:edit", args=[sami.pk]) in panel
    assert "Samuel Secret" not in text

    territory = re.search(r"Grand forum du territoire</a>.*?</tr>", panel, re.S).group(0)
    assert "sans limite" in territory
    assert f"?event={content['territory'].pk}" in territory


@pytest.mark.django_db
def test_superuser_gets_the_coordinators_view(client, content, admin_user):
    text = html.unescape(panel_html(dashboard_html(client, admin_user)))
    assert "Tous les quartiers" in text
    assert "Forum de Félix Pyat" in text


@pytest.mark.django_db
def test_empty_sections_say_so(client, editor):
    text = html.unescape(panel_html(dashboard_html(client, editor)))
    assert "Aucune page n'attend de relecture." in text
    assert "Aucune page n'est à reprendre." in text
    assert "Aucun consentement n'expire dans les 30 prochains jours." in text
    assert "Aucun événement à venir." in text


@pytest.mark.django_db
def test_user_without_editorial_group_gets_no_panel(client, content, company_index):
    company = UserFactory(username="entreprise")
    group = Group.objects.create(name="Entreprise Boulangerie")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    company.groups.add(group)
    CompanyPageFactory(parent=company_index, title="Boulangerie du coin")
    content_html = dashboard_html(client, company)
    assert "impact-dashboard" not in content_html
    assert not PANEL_HEADING.search(content_html)
    assert "Forum de Bellevue" not in content_html


def add_items(hubs, editor, coordinator, numbers):
    """One of each kind of item in hub A per number, events with registrations."""
    a = hubs["a"]
    now = timezone.now().replace(microsecond=0)
    for n in numbers:
        submit(PortraitPageFactory(parent=a, live=False, title=f"Relecture {n}"), editor)
        send_back(PortraitPageFactory(parent=a, live=False, title=f"Renvoi {n}"), editor, coordinator, f"Note {n}")
        publish_portrait(a, title=f"Consentement {n}", consent={"expires_on": days(1 + n)})
        event = event_at(a, f"Forum {n}", now + datetime.timedelta(days=1 + n), capacity=10 + n)
        RegistrationFactory(event=event, status="confirmed")
        RegistrationFactory(event=event, status="waiting")


def panel_queries(client, user, monkeypatch):
    """Queries run by the panel while /admin/ renders: the rest of the home is Wagtail's, whose own
    panels are not ours to bound."""
    counts = {}
    render = dashboard.EditorialDashboardPanel.render_html
    scope = dashboard.editorial_scope

    def counted_render(self, parent_context=None):
        with CaptureQueriesContext(connection) as queries:
            result = render(self, parent_context)
        counts["render"] = len(queries)
        return result

    def counted_scope(who):
        with CaptureQueriesContext(connection) as queries:
            result = scope(who)
        counts["scope"] = len(queries)
        return result

    monkeypatch.setattr(dashboard.EditorialDashboardPanel, "render_html", counted_render)
    monkeypatch.setattr(dashboard, "editorial_scope", counted_scope)
    client.force_login(user)
    with CaptureQueriesContext(connection) as whole:
        response = client.get("/admin/")
    assert response.status_code == 200
    return counts["scope"] + counts["render"], len(whole), response.content.decode()


@pytest.mark.django_db
def test_panel_queries_do_not_grow_with_content(client, hubs, editor, coordinator, monkeypatch):
    add_items(hubs, editor, coordinator, range(1))
    few = {}
    for who, user in (("editor", editor), ("coordinator", coordinator)):
        few[who] = panel_queries(client, user, monkeypatch)
        assert "Forum 0" in few[who][2]

    add_items(hubs, editor, coordinator, range(1, 13))  # more than the ten events shown
    for who, user in (("editor", editor), ("coordinator", coordinator)):
        many = panel_queries(client, user, monkeypatch)
        text = html.unescape(panel_html(many[2]))
        assert "Relecture 12" in text
        assert "Note 12" in text
        assert "Consentement 12" in text
        assert "Seuls les 10 prochains événements sont affichés." in text
        print(f"{who}: panel {few[who][0]} -> {many[0]} queries; whole /admin/ {few[who][1]} -> {many[1]}")
        assert few[who][0] == many[0]
        assert many[0] <= 8
