"""Public pages. Views parse input, call a selector, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ratification import selectors
from ratification.models import Treaty


def treaty_status_page(request: HttpRequest, mtdsg: str | None = None) -> HttpResponse:
    """The status of one treaty: `/` for the default treaty, `/treaties/<mtdsg>/` for any."""
    if mtdsg is None:
        treaty = selectors.default_treaty()
        if treaty is None:
            raise Http404("The default treaty is not stored yet: run `python manage.py seed`.")
    else:
        treaty = get_object_or_404(Treaty, mtdsg=mtdsg)
    summary, rows = selectors.treaty_overview(treaty=treaty)
    return render(request, "ratification/status.html", {"treaty": treaty, "summary": summary, "rows": rows})
