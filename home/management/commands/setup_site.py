from django.core.management.base import BaseCommand

from home.site_structure import ensure_site_structure


class Command(BaseCommand):
    help = (
        "Create the home page, /quartiers/ and the standard pages if they are missing. "
        "Safe to run on a production database: existing pages are never changed."
    )

    def handle(self, *args, **options):
        home, index = ensure_site_structure()
        self.stdout.write(f"Structure du site en place : {home.title}, {index.title} et les pages simples.")
