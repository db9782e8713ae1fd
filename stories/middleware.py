from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages

from stories.models import ConsentRequired, PortraitPage


class ConsentRequiredMiddleware:
    """Turns a refused publication that no form caught (workflow approval from the dashboard,
    revert, copy-and-publish…) into a French message on the page's edit screen instead of an error
    page. Wagtail runs those actions in a transaction, so nothing was half-done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ConsentRequired) or not request.user.is_authenticated:
            return None
        from stories.consent_handover import consent_link

        portrait = PortraitPage.objects.filter(pk=exception.page_id).first() if exception.page_id else None
        link = consent_link(request.user, portrait) if portrait is not None else None
        # The fix is one click away: the ledger entry for coordinators, the signed form's hand-over for editors.
        messages.error(request, exception.message, buttons=[messages.button(*link)] if link else None)
        if exception.page_id:
            target = reverse("wagtailadmin_pages:edit", args=[exception.page_id])
        else:
            target = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # "Approuver avec commentaire" posts from a modal that expects modal-workflow JSON; a
            # redirect to an HTML page would leave it stuck. This answer makes it go to the edit
            # screen, where the message is shown.
            return JsonResponse({"step": "success", "redirect": target})
        return redirect(target)
