"""The admin home of a company account: what the account is for, and where each thing is done.

A company's people come to the admin rarely, often from an e-mail. The panel says in « vous » what
they may do — edit their page (changes go to review before they show), follow the event proposals
made under their name, propose another event — with the state of each. Three queries whatever the
number of proposals; nothing about anyone else's page or proposals."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from events.models import EventProposal
from events.proposal_outcome import proposal_form_url
from events.proposals_admin import event_status
from stories.accounts import company_pages_for

PROPOSAL_LIMIT = 5


def page_state(page):
    if page.workflow_in_progress:
        return "vos dernières modifications attendent la relecture de la coordination"
    if page.has_unpublished_changes:
        return "des modifications sont enregistrées en brouillon, pas encore envoyées en relecture"
    if page.live:
        return "en ligne"
    return "pas encore publiée"


class CompanyAccountPanel(Component):
    name = "impact_company_account"
    template_name = "events/admin/company-panel.html"
    order = 40  # first: it is the whole point of the account

    def __init__(self, companies):
        self.companies = companies

    def get_context_data(self, parent_context=None):
        proposals = list(
            EventProposal.objects.filter(company__in=self.companies)
            .select_related("event")
            .order_by("-created_at")[: PROPOSAL_LIMIT + 1]
        )
        return {
            "companies": [
                {
                    "title": company.title,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[company.pk]),
                    "url": company.url if company.live else "",
                    "state": page_state(company),
                }
                for company in self.companies
            ],
            "proposals": [
                {
                    "title": proposal.event.title if proposal.event else proposal.company_name,
                    "created_at": proposal.created_at,
                    "status": event_status(proposal.event, proposal),
                    "url": reverse("propositions:inspect", args=[proposal.pk]),
                }
                for proposal in proposals[:PROPOSAL_LIMIT]
            ],
            "more_proposals": len(proposals) > PROPOSAL_LIMIT,
            "proposals_url": reverse("propositions:index"),
            "propose_url": proposal_form_url(),
        }


@hooks.register("construct_homepage_panels")
def add_company_account_panel(request, panels):
    companies = list(company_pages_for(request.user).order_by("title"))
    if companies:
        panels.append(CompanyAccountPanel(companies))
