"""The site's French: non-breaking spaces, a neighbourhood's preposition, words in the middle of a
sentence, form errors in the site's voice, the admin without English or « un(e) », ASCII slugs."""

import re

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from events.forms import RegistrationForm
from events.proposals import ProposalForm
from home.forms import TU, VOUS, SiteVoiceMixin
from home.french import guess_preposition, in_place, lower_first, of_place
from home.models import NeighbourhoodPage
from home.roles import COORDINATORS_GROUP
from home.typography import NBSP, french_spacing, french_spacing_html
from tests.editorial import submit_for_review
from tests.factories import (
    EventPageFactory,
    NeighbourhoodPageFactory,
    PortraitPageFactory,
    SectorFactory,
    UserFactory,
    publish_portrait,
)

# A plain (breaking) space before a high sign or a closing guillemet, or after an opening one.
PLAIN_SPACE = re.compile(r"\S[ \t]+[:;!?»]|«[ \t]")


def visible_text(response):
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "textarea", "pre", "code"]):
        hidden.decompose()
    return soup.get_text()


def plain_spaces(text):
    return [text[max(0, m.start() - 25) : m.end() + 10] for m in PLAIN_SPACE.finditer(text)]


# --- non-breaking spaces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quand : demain", f"Quand{NBSP}: demain"),
        ("Tu viens ? Oui !", f"Tu viens{NBSP}? Oui{NBSP}!"),
        ("« J'ai osé »", f"«{NBSP}J'ai osé{NBSP}»"),
        ("un ; deux", f"un{NBSP}; deux"),
        ("Bonjour   !", f"Bonjour{NBSP}!"),
        # Nothing inserted where there was no space, nothing at the start of a line.
        ("14:00, https://exemple.fr?a=1", "14:00, https://exemple.fr?a=1"),
        ("Déjà\n: rien", "Déjà\n: rien"),
        (f"Déjà{NBSP}: rien", f"Déjà{NBSP}: rien"),
    ],
)
def test_french_spacing(text, expected):
    assert french_spacing(text) == expected


def test_html_text_is_spaced_but_not_attributes_scripts_or_typed_text():
    html = (
        '<p title="Titre : x">Quand : <a href="/?q=a : b">« lien »</a></p>'
        '<script>var a = b ? c : d;</script><textarea name="t">Bonjour !</textarea><pre>x : y</pre>'
        '<input pattern="\\d{2} ?\\d{2}" value="Salut !"><!-- note : rien -->'
    )
    spaced = french_spacing_html(html)
    assert f"Quand{NBSP}:" in spaced
    assert f"«{NBSP}lien{NBSP}»" in spaced
    for untouched in (
        'title="Titre : x"',
        'href="/?q=a : b"',
        "var a = b ? c : d;",
        "Bonjour !</textarea>",
        "<pre>x : y</pre>",
        'pattern="\\d{2} ?\\d{2}"',
        'value="Salut !"',
        "<!-- note : rien -->",
    ):
        assert untouched in spaced


@pytest.mark.django_db
def test_public_pages_have_no_breaking_space_before_signs(client, neighbourhood, portrait_index, site_tree):
    """Editors type plain spaces (« J'ai osé ! », « Forum : l'alternance ») and templates have them
    too: every page the public sees comes out with non-breaking ones."""
    from events.models import EventIndexPage

    publish_portrait(neighbourhood, title="Inès", first_name="Inès", quote="J'ai osé ! Et toi ?")
    EventPageFactory(parent=neighbourhood, title="Forum : l'alternance ?", summary="Viens ; c'est gratuit !")
    pages = ["/", "/quartiers/", neighbourhood.url, "/portraits/", "/entreprises/", "/evenements/"]
    pages += ["/evenements/proposer/", "/recherche/?q=alternance", "/a-propos/", "/page-qui-n-existe-pas/"]
    pages += [Page.objects.get(title="Inès").url, EventIndexPage.objects.get().url]
    checked = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = visible_text(response)
        assert plain_spaces(text) == [], url
        checked += text.count(NBSP)
    assert checked > 50  # the pages really say things with those signs
    portrait = client.get(Page.objects.get(title="Inès").url)
    assert f"J'ai osé{NBSP}! Et toi{NBSP}?" in visible_text(portrait)


@pytest.mark.django_db
def test_form_errors_are_spaced_too(client, neighbourhood, site_tree):
    event = EventPageFactory(parent=neighbourhood, title="Forum de l'alternance", slug="forum-alternance")
    response = client.post(event.url, {"first_name": "", "email": "non"})
    assert response.status_code == 400
    assert plain_spaces(visible_text(response)) == []
    response = client.post("/evenements/proposer/", {"contact_email": "non"})
    assert response.status_code == 400
    assert plain_spaces(visible_text(response)) == []


@pytest.mark.parametrize(("path", "changed"), [("/quartiers/", True), ("/admin/pages/", False)])
def test_the_middleware_spaces_public_html_only(rf, path, changed):
    from django.http import HttpResponse

    from home.typography import FrenchSpacingMiddleware

    def view(request):
        response = HttpResponse("<p>Quand : demain</p>")
        response["Content-Length"] = str(len(response.content))
        return response

    response = FrenchSpacingMiddleware(view)(rf.get(path))
    assert (f"Quand{NBSP}:" in response.content.decode()) is changed
    assert response["Content-Length"] == str(len(response.content))
    json = FrenchSpacingMiddleware(lambda request: HttpResponse('{"a": "b : c"}', content_type="application/json"))
    assert json(rf.get("/")).content == b'{"a": "b : c"}'


# --- « à Tarascon », « aux Lauriers » ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("preposition", "name", "at", "of"),
    [
        ("à", "Tarascon", "à Tarascon", "de Tarascon"),
        ("à", "Arles", "à Arles", "d'Arles"),
        ("au", "Parc Bellevue – Félix Pyat", "au Parc Bellevue – Félix Pyat", "du Parc Bellevue – Félix Pyat"),
        ("aux", "Les Lauriers – Olivier A", "aux Lauriers – Olivier A", "des Lauriers – Olivier A"),
        ("à la", "La Busserine", "à la Busserine", "de la Busserine"),
        ("à l'", "L'Estaque", "à l'Estaque", "de l'Estaque"),
        ("dans le", "Panier", "dans le Panier", "du Panier"),
        ("inconnue", "Tarascon", "à Tarascon", "de Tarascon"),
    ],
)
def test_in_and_of_a_place(preposition, name, at, of):
    assert in_place(preposition, name) == at
    assert of_place(preposition, name) == of


@pytest.mark.parametrize(
    ("name", "guess"),
    [
        ("Les Lauriers – Olivier A", "aux"),
        ("Le Panier", "au"),
        ("La Busserine", "à la"),
        ("L'Estaque", "à l'"),
        ("Parc Bellevue – Félix Pyat", "au"),
        ("Cité des Fleurs", "à la"),
        ("Tarascon", "à"),
    ],
)
def test_a_first_guess_from_the_name(name, guess):
    assert guess_preposition(name) == guess


@pytest.mark.django_db
def test_a_hub_says_where_in_its_own_words(client, neighbourhood_index):
    lauriers = NeighbourhoodPageFactory(
        parent=neighbourhood_index, title="Les Lauriers – Olivier A", slug="les-lauriers", preposition="aux"
    )
    publish_portrait(lauriers, title="Yanis", first_name="Yanis")
    text = visible_text(client.get(lauriers.url))
    assert "ont grandi aux Lauriers – Olivier A" in text
    assert "Tous les portraits des Lauriers – Olivier A" in text
    assert "à Les Lauriers" not in text
    assert "de Les Lauriers" not in text
    portrait = client.get(Page.objects.get(title="Yanis").url)
    assert "les prochains rendez-vous aux Lauriers – Olivier A" in visible_text(portrait)


@pytest.mark.django_db
def test_the_three_pilots_of_the_demo(site_tree):
    from home.demo import NEIGHBOURHOODS

    said = {spec["title"]: in_place(spec["preposition"], spec["title"]) for spec in NEIGHBOURHOODS}
    assert said == {
        "Parc Bellevue – Félix Pyat": "au Parc Bellevue – Félix Pyat",
        "Les Lauriers – Olivier A": "aux Lauriers – Olivier A",
        "Tarascon": "à Tarascon",
    }


@pytest.mark.django_db
def test_onboarding_guesses_and_the_admin_keeps_the_choice(admin_client, neighbourhood_index):
    from home.onboarding import create_neighbourhood

    page, _space, _created = create_neighbourhood(
        neighbourhood_index, title="Les Tilleuls", slug="les-tilleuls", commune="Marseille", department="13", intro="x"
    )
    assert NeighbourhoodPage.objects.get(pk=page.pk).preposition == "aux"
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert 'name="preposition"' in edit.content.decode()


@pytest.mark.django_db
def test_the_migration_guesses_from_the_title_and_keeps_revisions_in_step(neighbourhood_index):
    """The admin edits the latest revision: a field missing there would come back as « à » and be saved."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("home.migrations.0006_neighbourhood_preposition")
    hub = NeighbourhoodPageFactory(parent=neighbourhood_index, title="Les Lauriers", slug="les-lauriers")
    NeighbourhoodPage.objects.filter(pk=hub.pk).update(preposition="à")
    revision = hub.save_revision()
    del revision.content["preposition"]  # as revisions saved before the field existed
    revision.save()

    migration.guess_existing(apps, None)

    hub = NeighbourhoodPage.objects.get(pk=hub.pk)
    assert hub.preposition == "aux"
    assert hub.get_latest_revision().content["preposition"] == "aux"
    assert hub.get_latest_revision_as_object().in_name == "aux Lauriers"


# --- « BTP », not « btp » ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "inside"),
    [("BTP", "BTP"), ("Santé et social", "santé et social"), ("E2C", "E2C"), ("Numérique", "numérique"), ("", "")],
)
def test_lower_first_keeps_acronyms(word, inside):
    assert lower_first(word) == inside


@pytest.mark.django_db
def test_a_portrait_page_says_btp(client, neighbourhood):
    portrait = publish_portrait(neighbourhood, title="Dylan", first_name="Dylan", sector=SectorFactory(name="BTP"))
    text = visible_text(client.get(portrait.url))
    assert "D'autres parcours dans le secteur BTP" in text
    assert "btp" not in text


# --- form errors in the site's voice ----------------------------------------------------------------

# Django's own French: an administration addressing the reader as « vous ».
DJANGO_VOICE = (
    "Assurez-vous",
    "Sélectionnez un choix valide",
    "Champ requis",
    "Ce champ est obligatoire",
    "courriel",
    "Saisissez une valeur valide",
    "Saisissez une adresse e-mail valide",
    "Saisissez une date valide",
    "Saisissez une heure valide",
)
PUBLIC_FORMS = [(RegistrationForm, TU), (ProposalForm, VOUS)]


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "voice"), PUBLIC_FORMS, ids=["registration", "proposal"])
def test_every_message_of_every_public_form_is_in_the_site_voice(form_class, voice, site_tree):
    form = form_class()
    assert isinstance(form, SiteVoiceMixin)
    assert form.voice == voice
    with translation.override("fr"):
        for name, field in form.fields.items():
            for code, message in field.error_messages.items():
                text = str(message)
                assert not any(word in text for word in DJANGO_VOICE), f"{name}/{code}: {text}"
                if voice == TU:
                    assert not re.search(r"\b(vous|Saisissez|Cochez|Choisissez)\b", text), f"{name}/{code}: {text}"
                else:
                    assert not re.search(r"\b(tu|Écris|Coche|Choisis|Remplis)\b", text), f"{name}/{code}: {text}"


@pytest.mark.django_db
def test_the_registration_form_answers_with_tu(client, neighbourhood):
    event = EventPageFactory(parent=neighbourhood, title="Forum de l'alternance", slug="forum-alternance")
    response = client.post(
        event.url,
        {"first_name": "x" * 61, "last_name": "", "email": "pas-une-adresse", "age_range": "99", "companion": ""},
    )
    text = visible_text(response)
    assert "Remplis ce champ." in text
    assert "Écris une adresse e-mail complète, par exemple prenom@exemple.fr." in text
    assert "60 caractères au plus (tu en as écrit 61)." in text
    assert "Choisis une des réponses proposées." in text
    assert "Choisis une réponse." in text
    assert "Coche cette case pour t'inscrire." in text  # written for the field: kept
    assert not any(word in text for word in DJANGO_VOICE)


@pytest.mark.django_db
def test_the_proposal_form_answers_with_vous(client, site_tree):
    response = client.post("/evenements/proposer/", {"contact_email": "non", "title": "x" * 121, "kind": "fête"})
    text = visible_text(response)
    assert "Remplissez ce champ." in text
    assert "Saisissez une adresse e-mail complète, par exemple nom@entreprise.fr." in text
    assert "120 caractères au plus (vous en avez saisi 121)." in text
    assert "Choisissez une des réponses proposées." in text
    assert "Choisissez une réponse." in text  # the neighbourhood
    assert not any(word in text for word in ("Assurez-vous", "Sélectionnez", "Champ requis", "courriel"))


def test_a_message_written_for_a_field_stays():
    class Form(SiteVoiceMixin, forms.Form):
        name = forms.CharField(error_messages={"required": "Dis-nous ton prénom."})
        email = forms.EmailField()

    form = Form(data={})
    assert not form.is_valid()
    with translation.override("fr"):
        assert form.errors["name"] == ["Dis-nous ton prénom."]
        assert form.errors["email"] == ["Remplis ce champ."]


# --- the admin: no English, no « un(e) », no « rejetée » -------------------------------------------


@pytest.mark.django_db
def test_the_login_form_says_mot_de_passe(client, site_tree):
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_login")).content, "html.parser")
    assert soup.select_one('label[for="id_password"]').get_text(strip=True).startswith("Mot de passe")
    assert "Password" not in soup.get_text()


LEFTOVERS = re.compile(r"\bStatus\b|\w\((?:e|tte|elle|le)\)|[Rr]ejet|Password")


@pytest.mark.django_db
def test_admin_screens_have_no_leftovers(client, neighbourhood, site_tree):
    coordinator = UserFactory(username="coordo", email="coordo@example.org")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    editor = UserFactory(username="redac", email="redac@example.org")
    portrait = PortraitPageFactory(parent=neighbourhood, live=False, title="Lina", first_name="Lina")
    submit_for_review(portrait, editor)
    client.force_login(coordinator)
    screens = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[neighbourhood.pk]),
        reverse("wagtailadmin_pages:edit", args=[portrait.pk]),
        reverse("wagtailadmin_pages:edit", args=[neighbourhood.pk]),
        reverse("consentements:index"),
        reverse("consentements:add"),
        reverse("wagtaildocs:index"),
        reverse("wagtailimages:index"),
        reverse("wagtailadmin_account"),
        reverse("wagtailadmin_reports:workflow"),
    ]
    for url in screens:
        response = client.get(url)
        assert response.status_code == 200, url
        found = LEFTOVERS.findall(visible_text(response))
        assert found == [], f"{url}: {found}"


@pytest.mark.django_db
def test_changes_requested_are_never_called_rejected(client, neighbourhood, site_tree, mailoutbox):
    """What the editor reads after « Demander des modifications »: on screen and in Wagtail's e-mail."""
    coordinator = UserFactory(username="coordo", email="coordo@example.org")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    editor = UserFactory(username="redac", email="redac@example.org", first_name="Rédactrice")
    portrait = PortraitPageFactory(parent=neighbourhood, live=False, title="Lina", first_name="Lina", owner=editor)
    state = submit_for_review(portrait, editor)
    client.force_login(coordinator)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[portrait.pk, "reject", state.current_task_state.pk]),
        {"comment": "Ajoute une photo."},
        follow=True,
    )
    assert response.status_code == 200
    assert not LEFTOVERS.findall(visible_text(response))
    to_editor = [message for message in mailoutbox if "redac@example.org" in message.to]
    assert to_editor, [message.subject for message in mailoutbox]
    for message in to_editor:
        assert "Des modifications ont été demandées" in message.subject + message.body
        assert not re.search(r"[Rr]ejet", message.subject + message.body)
    state.refresh_from_db()
    for url in (
        reverse("wagtailadmin_pages:workflow_history", args=[portrait.pk]),
        reverse("wagtailadmin_pages:workflow_history_detail", args=[portrait.pk, state.pk]),
        reverse("wagtailadmin_pages:history", args=[portrait.pk]),
    ):
        text = visible_text(client.get(url))
        assert not LEFTOVERS.findall(text), url
    assert "Modifications demandées" in text  # the page's history


def test_overrides_are_compiled_and_win():
    with translation.override("fr"):
        assert translation.gettext("Current page status:") == f"Statut actuel de la page{NBSP}:"
        assert translation.gettext("Add %(model_name)s") == f"Ajouter{NBSP}: %(model_name)s"
        assert translation.gettext("Rejected") == "Modifications demandées"


# --- slugs without accents ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_slugs_made_from_titles_have_no_accents(neighbourhood, settings):
    assert settings.WAGTAIL_ALLOW_UNICODE_SLUGS is False
    page = PortraitPageFactory.build(
        title="Héloïse, élève à Noël",
        slug="",
        first_name="Héloïse",
        sector=SectorFactory(name="Commerce"),
        photo=None,
        live=False,  # a draft: a live portrait needs its consent record first (stories/consent_guard.py)
    )
    neighbourhood.add_child(instance=page)
    assert page.slug == "heloise-eleve-a-noel"


@pytest.mark.django_db
def test_the_admin_slug_field_cleans_without_unicode(admin_client, neighbourhood, settings):
    """The admin's slug field (a Stimulus controller) transliterates « é » unless told to allow Unicode;
    Django leaves a False attribute out, which the controller reads as false."""
    url = reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", neighbourhood.pk])
    html = admin_client.get(url).content.decode()
    assert 'data-controller="w-slug"' in html
    assert "data-w-slug-allow-unicode-value" not in html
    settings.WAGTAIL_ALLOW_UNICODE_SLUGS = True
    assert "data-w-slug-allow-unicode-value" in admin_client.get(url).content.decode()
