from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from tests.probe.services import probe_happen


@require_POST
def happen(request: HttpRequest) -> HttpResponse:
    """A request whose service publishes an event, like a customer's checkout."""
    probe_happen(label=request.POST["label"])
    return HttpResponse(status=204)
