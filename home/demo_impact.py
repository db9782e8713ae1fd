"""Fictional yearly impact figures for the three pilot hubs, so the demo's impact panels have
something to show. Kept well below the 3,000 goal: the bar must visibly be on its way."""

from home.models import ImpactFigure, NeighbourhoodPage

DEMO_SOURCE = "Chiffres fictifs (démonstration)"

# slug -> {year: (young people accompanied, parents reached, young people in a job or training)}
DEMO_FIGURES = {
    "parc-bellevue-felix-pyat": {2024: (165, 95, 48), 2025: (215, 130, 74), 2026: (150, 88, 39)},
    "les-lauriers-olivier-a": {2024: (140, 80, 41), 2025: (195, 115, 63), 2026: (135, 72, 35)},
    "tarascon": {2024: (125, 60, 44), 2025: (175, 96, 67), 2026: (140, 75, 42)},
}


def ensure_demo_impact_figures() -> int:
    """Create the figures missing for the pilot hubs that exist; return how many were created.
    Never overwrites: a year a coordinator has already entered (or edited) stays as it is."""
    created_count = 0
    hubs = NeighbourhoodPage.objects.filter(slug__in=DEMO_FIGURES)
    for hub in hubs:
        for year, (accompanied, parents, in_job) in DEMO_FIGURES[hub.slug].items():
            _figure, created = ImpactFigure.objects.get_or_create(
                neighbourhood=hub,
                year=year,
                defaults={
                    "young_people_accompanied": accompanied,
                    "parents_reached": parents,
                    "young_people_in_job_or_training": in_job,
                    "source": DEMO_SOURCE,
                },
            )
            created_count += created
    return created_count
