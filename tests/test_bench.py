"""`manage.py bench` is a benchmark, not a test: nothing here times anything. These tests keep its
page choice in step with the listing templates and its verdicts honest (over budget is said out loud)."""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from home.management.commands.bench import Command, first_card_path


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_bench_picks_the_first_portrait_and_event_a_visitor_sees(demo, client):
    for listing, card_class in (("/portraits/", "portrait-card"), ("/evenements/", "event-card")):
        html = client.get(listing).content.decode()
        first_title = BeautifulSoup(html, "html.parser").select_one(f".{card_class} .card__title a").get_text()

        page = client.get(first_card_path(html, card_class))

        assert page.status_code == 200
        heading = BeautifulSoup(page.content, "html.parser").h1.get_text(" ", strip=True)
        assert first_title.split(",")[0] in heading


def test_no_card_means_no_page():
    assert first_card_path("<main><p>Aucun portrait pour l'instant.</p></main>", "portrait-card") is None


def run_summary(rows, cached=None):
    command = Command(stdout=StringIO())
    command._summary(rows, cached, None, skip_weight=False, skip_lighthouse=False)
    return command.stdout.getvalue()


def test_over_budget_pages_are_named():
    scores = {"performance": 94, "accessibility": 100, "best-practices": 100, "seo": 100}
    output = run_summary(
        {
            "/": {"label": "accueil", "kb": 301.0, "scores": {**scores, "performance": 99}},
            "/p/": {"label": "un portrait", "kb": 120.0, "scores": scores},
        },
        cached={"/sante/": {"rps": 1000.0}, "/": {"rps": 800.0}, "/p/": {"rps": 500.0}},
    )

    assert "HORS BUDGET  / : 301 Ko transférés > 300 Ko" in output
    assert "HORS BUDGET  /p/ : Lighthouse performance 94 < 95" in output
    assert "| accueil `/` | 301 | 99 | 100 | 100 | 100 | 800 | 0.80 | — | — |" in output
    assert "Tous les budgets" not in output


def test_within_budget_says_so():
    scores = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
    output = run_summary({"/": {"label": "accueil", "kb": 83.0, "scores": scores}})

    assert "HORS BUDGET" not in output
    assert "Tous les budgets mesurés sont tenus." in output


def test_lost_points_say_where_the_score_went():
    report = {
        "categories": {
            "best-practices": {"auditRefs": [{"id": "is-on-https", "weight": 5}]},
            "performance": {
                "auditRefs": [{"id": "total-blocking-time", "weight": 30}, {"id": "uses-text-compression", "weight": 0}]
            },
        },
        "audits": {
            "is-on-https": {"score": 0, "scoreDisplayMode": "binary"},
            "total-blocking-time": {"score": 0.4, "scoreDisplayMode": "numeric", "displayValue": "730 ms"},
            "uses-text-compression": {"score": 0, "scoreDisplayMode": "metricSavings"},
        },
    }

    lines = Command._lost_points(report)

    assert lines[0].startswith("best-practices: is-on-https score 0.00 (HTTP local")
    assert lines[1] == "performance: total-blocking-time score 0.40 — 730 ms"
    assert lines[2] == "pistes (sans effet sur le score) : uses-text-compression"
