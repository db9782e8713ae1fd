"""Keyboard-only registration for an event, on a phone-size and a desktop viewport.

Nothing here clicks or fills through the DOM: every move is a key press, as for someone using a
keyboard, a switch device or a screen reader. From the top of the page, Tab must reach the skip link,
then every field of the form, with a visible focus at every step, and Enter must submit."""

import re

import pytest

FORUM = "/quartiers/tarascon/forum-emploi-tarascon/"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
MAX_TABS = 150  # a generous bound: a page that needs more is itself a keyboard problem

# Describes the focused element and whether its focus can be seen: an outline or a box-shadow on the
# element, or on the card that shows focus for the link inside it (:focus-within).
FOCUSED = """() => {
    const el = document.activeElement;
    const shows = node => {
        const style = getComputedStyle(node);
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        return outline || (style.boxShadow && style.boxShadow !== 'none');
    };
    const card = el.closest('.card');
    return {
        tag: el.tagName.toLowerCase(),
        type: el.type || '',
        name: el.name || '',
        id: el.id || '',
        value: el.value || '',
        text: (el.textContent || '').trim().slice(0, 60),
        visible: shows(el) || Boolean(card && shows(card)),
        inForm: Boolean(el.closest('.registration-form')),
    };
}"""


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def keyboard_page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def tab(page):
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["visible"], f"focus is invisible on {focused}"
    return focused


def tab_to(page, predicate, what):
    for _ in range(MAX_TABS):
        focused = tab(page)
        if predicate(focused):
            return focused
    raise AssertionError(f"{what} never received keyboard focus")


def skip_to_content(page, live_site):
    page.goto(live_site + FORUM)
    focused = tab(page)
    assert focused["text"] == "Aller au contenu", "the first Tab reaches the skip link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"


def fill_registration_with_keys(page, values, radios, check_consent=True):
    """Tab through the form from wherever focus is; type, pick and tick with keys only, until the
    submit button. Returns the names of the fields that focus visited, in order."""
    visited = []
    tab_to(page, lambda f: f["inForm"], "the registration form")
    focused = page.evaluate(FOCUSED)
    for _ in range(MAX_TABS):
        if focused["tag"] == "button":
            assert re.search("Je m'inscris|liste d'attente", focused["text"])
            return visited
        name = focused["name"]
        visited.append(name)
        if focused["type"] == "radio" and name in radios:
            for _step in range(6):
                if page.evaluate("() => document.activeElement.value") == radios[name]:
                    break
                page.keyboard.press("ArrowDown")
            assert page.evaluate("() => document.activeElement.checked")
        elif focused["type"] == "checkbox" and check_consent:
            page.keyboard.press("Space")
            assert page.evaluate("() => document.activeElement.checked")
        elif name in values:
            page.keyboard.type(values[name])
        focused = tab(page)
    raise AssertionError("the submit button never received keyboard focus")


def test_registration_with_the_keyboard_only(keyboard_page, live_site):
    page = keyboard_page
    skip_to_content(page, live_site)
    address = f"clavier.{page.viewport_size['width']}@example.org"
    visited = fill_registration_with_keys(
        page,
        {"first_name": "Noé", "last_name": "Clavier", "email": address, "neighbourhood": "Tarascon"},
        {"age_range": "18-25", "companion": "parent"},
    )
    # Every field was reached, in reading order; the hidden anti-spam field never was.
    fields = [name for name in visited if name]
    for expected in ("first_name", "last_name", "email", "phone", "age_range", "guardian_email", "neighbourhood"):
        assert expected in fields
    assert fields.index("first_name") < fields.index("email") < fields.index("neighbourhood")
    assert {"companion", "privacy_accepted"} <= set(fields)
    assert "site_web" not in fields

    page.keyboard.press("Enter")
    page.wait_for_url("**inscription=*")
    status = page.get_by_role("status").first
    assert re.search("Ta place est réservée|liste d'attente", status.inner_text())
    assert any(str(mail["To"]).strip() == address for mail in live_site.mails())


def test_keyboard_user_is_told_what_to_fix(keyboard_page, live_site):
    page = keyboard_page
    skip_to_content(page, live_site)
    tab_to(page, lambda f: f["name"] == "first_name", "the first name field")
    page.keyboard.type("Lina")
    page.keyboard.press("Enter")  # submits the form from a text field, the rest left empty
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    assert "pas encore faite" in alert.inner_text()
    # Focus is brought to the form's section (its heading and the error message), not left at the top.
    focused = page.evaluate("() => document.activeElement.closest('#inscription') !== null")
    assert focused, "after the error, focus is in the registration section"
    first = tab_to(page, lambda f: f["inForm"] and f["tag"] in {"input", "textarea", "select"}, "a field")
    assert first["name"] == "first_name"
    assert first["value"] == "Lina"  # what was typed is kept
    # The next field is the one to fix, and it says so to assistive technology.
    last_name = tab(page)
    assert last_name["name"] == "last_name"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-invalid')") == "true"
    described = page.evaluate(
        """() => (document.activeElement.getAttribute('aria-describedby') || '').split(' ')
            .map(id => document.getElementById(id)).filter(Boolean).map(el => el.textContent.trim()).join(' ')"""
    )
    assert described, "the error message is linked to the field"
