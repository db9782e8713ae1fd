from django.core.management.base import BaseCommand
from django.db import transaction

from home.demo import load_demo_content


class Command(BaseCommand):
    help = (
        "Load fictional demo content (real neighbourhoods, invented people, images drawn by code). "
        "Idempotent: a second run creates nothing and changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        load_demo_content(stdout=self.stdout)
