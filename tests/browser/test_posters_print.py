"""The A4 posters as a partner prints them: from the hub or event page's « Imprimer l'affiche » link,
printed by Chromium to PDF (one A4 sheet), and the QR code read back from the printed rendering by a
real decoder (zxing-cpp) — it must lead to the page's public address, not to localhost."""

import re

import pytest
import zxingcpp
from PIL import Image

A4_PORTRAIT = {"width": 794, "height": 1123}  # CSS px at 96 dpi


def pdf_pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def printed_qr_text(page, tmp_path):
    """The text of the QR code, decoded from a screenshot of the page in print media."""
    page.emulate_media(media="print")
    shot = tmp_path / "affiche.png"
    page.screenshot(path=str(shot), full_page=True)
    results = zxingcpp.read_barcodes(Image.open(shot))
    qr = [result.text for result in results if result.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(qr) == 1, f"one QR code on the printed poster, found {len(qr)}"
    return qr[0]


@pytest.fixture
def print_page(browser):
    context = browser.new_context(viewport=A4_PORTRAIT, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def test_the_neighbourhood_poster_prints_on_one_sheet_and_its_code_leads_to_the_hub(print_page, live_site, tmp_path):
    page = print_page
    page.goto(live_site + "/quartiers/tarascon/")
    page.get_by_role("link", name="Imprimer l'affiche (A4)").click()
    page.wait_for_url(re.compile(r"/quartiers/tarascon/affiche/$"))

    assert pdf_pages(page.pdf(format="A4", prefer_css_page_size=True, print_background=True)) == 1
    assert printed_qr_text(page, tmp_path) == live_site + "/quartiers/tarascon/"
    # The address printed under the code, for those who type it.
    assert page.locator(".poster__url").inner_text().strip() == live_site + "/quartiers/tarascon/"


def test_an_event_poster_prints_on_one_sheet_and_its_code_leads_to_the_event(print_page, live_site, tmp_path):
    page = print_page
    page.goto(live_site + "/evenements/")
    page.locator("main article a[href*='/quartiers/']").first.click()
    page.wait_for_load_state()
    event_url = page.url
    assert re.search(r"/quartiers/[^/]+/[^/]+/$", event_url), event_url
    page.get_by_role("link", name="Imprimer l'affiche (A4)").click()
    page.wait_for_url(event_url + "affiche/")

    assert pdf_pages(page.pdf(format="A4", prefer_css_page_size=True, print_background=True)) == 1
    assert printed_qr_text(page, tmp_path) == event_url
