from django.core.management.base import BaseCommand

from home.links import site_url
from home.site_structure import ensure_site_structure


class Command(BaseCommand):
    help = (
        "Create the home page, /quartiers/ and the standard pages if they are missing, and give the site "
        "its public address (SITE_URL). Safe to run on a production database after each deployment: "
        "existing pages are never changed."
    )

    def handle(self, *args, **options):
        home, index = ensure_site_structure()
        self.stdout.write(f"Structure du site en place : {home.title}, {index.title} et les pages simples.")
        self.stdout.write(f"Adresse publique (liens des e-mails, flux et affiches) : {site_url()}/")
