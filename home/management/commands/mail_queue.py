"""What the mail queue holds, and sending again the messages it gave up on.

The worker (``db_worker --backend mail``) sends queued e-mails and retries temporary failures on its
own (``home.mail``). A message it gave up on — after ``EMAIL_QUEUE_MAX_ATTEMPTS`` attempts, or an error
no retry could cure — stays in the queue as a failed task; once the cause is fixed (mail server
credentials, a refused address corrected), ``--retry-failed`` puts those messages back in the queue."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from home.mail import MAIL_TASK_BACKEND, backlog, enqueue


class Command(BaseCommand):
    help = "Montre la file d'e-mails (en attente, en échec) ; --retry-failed remet en file les e-mails en échec."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="Remettre en file les e-mails en échec.")

    def handle(self, *args, retry_failed=False, **options):
        state = backlog()
        if state is None:
            raise CommandError("Les e-mails ne passent pas par une file en base de données (TASKS['mail']).")
        failed = DBTaskResult.objects.filter(backend_name=MAIL_TASK_BACKEND, status=TaskResultStatus.FAILED)
        if retry_failed:
            count = 0
            for row in failed.order_by("finished_at"):
                data = row.args_kwargs["args"][0] if row.args_kwargs["args"] else row.args_kwargs["kwargs"].get("data")
                if data is None:
                    continue
                with transaction.atomic():
                    enqueue(data)
                    row.delete()
                count += 1
            self.stdout.write(f"E-mails remis en file : {count}.")
            return
        self.stdout.write(
            f"En attente : {state['pending']} (le plus ancien depuis {state['oldest_seconds']} s). "
            f"En échec : {state['failed']}."
        )
        for row in failed.order_by("finished_at"):
            error = row.exception_class_path.rsplit(".", 1)[-1]
            self.stdout.write(f"  {row.pk}  {row.finished_at:%d/%m/%Y %H:%M}  {error}")
