from django.core.management.base import BaseCommand

from home.translations import compile_catalogues


class Command(BaseCommand):
    help = (
        "Compile the project's translation overrides (locale/*/LC_MESSAGES/*.po) into .mo files, in pure "
        "Python. Only what changed is compiled, unless --force. Run it after every deployment, like collectstatic."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="recompile even what is up to date")

    def handle(self, *args, **options):
        written = compile_catalogues(force=options["force"])
        for mo in written:
            self.stdout.write(f"Compilé : {mo}")
        if not written:
            self.stdout.write("Traductions déjà à jour.")
