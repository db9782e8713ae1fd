from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from stories.models import ConsentRequired


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
        messages.error(request, exception.message)
        if exception.page_id:
            return redirect(reverse("wagtailadmin_pages:edit", args=[exception.page_id]))
        return redirect(reverse("wagtailadmin_home"))
