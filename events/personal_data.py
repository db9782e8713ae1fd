"""What events hold about a person, for the rights registry (``home.personal_data``): registrations
(as the young person or as the parent in copy) and the contact of a company's event proposal."""

import datetime
from collections import Counter

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events import registration as seats
from events.models import EventProposal, Registration, RegistrationStatus
from home.personal_data import Item, Provider, french_date, register


def event_label(event):
    if event is None:
        return "un événement supprimé depuis"
    return f"« {event.title} » du {french_date(event.start_at)} ({event.venue}, {event.commune})"


@register
class RegistrationData(Provider):
    key = "registrations"
    label = "Inscriptions aux événements"
    description = "Une inscription à un forum, un job dating ou un atelier, faite avec le formulaire du site."
    erase_rule = (
        "Une inscription à un événement passé ou commencé est anonymisée : nom, e-mail, téléphone et commune "
        "sont effacés, la participation reste comptée sans nom. Une inscription à un événement à venir est "
        "d'abord annulée — sa place va à la première personne de la liste d'attente, qui reçoit un e-mail — "
        "puis anonymisée. Quand l'adresse est celle d'un parent en copie, seule cette adresse est effacée : "
        "l'inscription du jeune reste."
    )
    order = 10

    def find(self, query, *, actor, limit):
        if not query.email:
            return
        registrations = (
            Registration.objects.filter(Q(email__iexact=query.email) | Q(guardian_email__iexact=query.email))
            .select_related("event")
            .order_by("-created_at", "pk")[:limit]
        )
        now = timezone.now()
        retention = datetime.timedelta(days=settings.REGISTRATION_RETENTION_DAYS)
        for registration in registrations:
            event = registration.event
            kept_until = (
                f"Jusqu'au {french_date(event.end_at + retention)} ({settings.REGISTRATION_RETENTION_DAYS} jours "
                "après l'événement), puis anonymisée : il ne reste qu'un nombre de participants, sans nom."
            )
            common = {
                "kind": self.key,
                "pk": registration.pk,
                "kept_until": kept_until,
                "admin_url": reverse("inscriptions:edit", args=[registration.pk]),
            }
            if registration.email.lower() != query.email:
                yield Item(
                    **common,
                    role="parent",
                    title=f"Adresse d'un parent, en copie d'une inscription à {event_label(event)}",
                    data=[
                        ("E-mail d'un parent", registration.guardian_email),
                        ("Événement", event_label(event)),
                        ("Donnée le", french_date(registration.created_at)),
                    ],
                    purpose=(
                        "Avant 15 ans, un parent doit être d'accord : il reçoit une copie de la confirmation, "
                        "du rappel et du lien d'annulation."
                    ),
                    on_erase="L'adresse du parent est effacée ; l'inscription du jeune reste.",
                )
                continue
            upcoming = event.start_at > now and registration.status != RegistrationStatus.CANCELLED
            yield Item(
                **common,
                role="inscrit",
                title=f"Inscription à {event_label(event)}",
                data=[
                    ("Prénom", registration.first_name),
                    ("Nom", registration.last_name),
                    ("E-mail", registration.email),
                    ("Téléphone", registration.phone or "—"),
                    ("Âge", registration.get_age_range_display()),
                    ("Quartier ou commune", registration.neighbourhood),
                    ("Accompagnement", registration.get_companion_display()),
                    # Someone else's address: only whether there is one.
                    ("Un parent reçoit une copie", "oui" if registration.guardian_email else "non"),
                    ("Statut", registration.get_status_display()),
                    ("Inscription le", french_date(registration.created_at, with_time=True)),
                    ("Annulée le", french_date(registration.cancelled_at)),
                ],
                purpose=(
                    "Envoyer la confirmation, le rappel la veille et le lien pour annuler ; compter les places "
                    "et la liste d'attente."
                ),
                on_erase=(
                    "Annulée (la place va à la première personne en liste d'attente), puis anonymisée."
                    if upcoming
                    else "Anonymisée : la participation reste comptée, sans nom."
                ),
            )

    def erase(self, items, *, actor):
        done = Counter()
        parents = {item.pk for item in items if item.role == "parent"}
        people = {item.pk for item in items if item.role != "parent"}
        if parents:
            done["anonymised"] += Registration.objects.filter(pk__in=parents - people).update(guardian_email="")
        now = timezone.now()
        for registration in Registration.objects.filter(pk__in=people).select_related("event").order_by("pk"):
            # Through the seat logic (event row locked, waiting list promoted, e-mail after commit),
            # exactly as when the person cancels with their link.
            if registration.status != RegistrationStatus.CANCELLED and registration.event.start_at > now:
                seats.cancel(registration)
                done["cancelled"] += 1
        if people:
            done["anonymised"] += Registration.objects.filter(pk__in=people).anonymise()
        return done


def proposal_kept_until(proposal):
    days = settings.PROPOSAL_RETENTION_DAYS
    retention = datetime.timedelta(days=days)
    ends = [moment for moment in (proposal.closed_at, proposal.event and proposal.event.end_at) if moment]
    if not ends:
        return f"{days} jours après la date de l'événement proposé, ou après son refus."
    return (
        f"Jusqu'au {french_date(min(ends) + retention)} ({days} jours après l'événement ou son refus), puis les "
        "coordonnées du contact sont effacées."
    )


@register
class ProposalContactData(Provider):
    key = "proposals"
    label = "Propositions d'événements d'entreprises"
    description = "Les coordonnées de la personne qui a proposé un événement au nom d'une entreprise."
    erase_rule = (
        "Les coordonnées du contact (nom, e-mail, téléphone) sont effacées ; la proposition et l'événement "
        "restent, au nom de l'entreprise."
    )
    order = 20

    def find(self, query, *, actor, limit):
        if not query.email:
            return
        proposals = (
            EventProposal.objects.filter(contact_email__iexact=query.email)
            .select_related("event")
            .order_by("-created_at", "pk")[:limit]
        )
        for proposal in proposals:
            yield Item(
                kind=self.key,
                pk=proposal.pk,
                role="contact",
                title=f"Proposition d'événement de « {proposal.company_name} » ({event_label(proposal.event)})",
                data=[
                    ("Entreprise ou organisme", proposal.company_name),
                    ("Contact", proposal.contact_name),
                    ("E-mail", proposal.contact_email),
                    ("Téléphone", proposal.contact_phone or "—"),
                    ("Proposé le", french_date(proposal.created_at)),
                    ("Événement proposé", event_label(proposal.event)),
                ],
                purpose="Recontacter la personne au sujet de l'événement qu'elle a proposé.",
                kept_until=proposal_kept_until(proposal),
                on_erase="Les coordonnées du contact sont effacées ; la proposition reste au nom de l'entreprise.",
                admin_url=reverse("propositions:inspect", args=[proposal.pk]),
            )

    def erase(self, items, *, actor):
        return {"anonymised": EventProposal.objects.filter(pk__in=[item.pk for item in items]).anonymise()}
