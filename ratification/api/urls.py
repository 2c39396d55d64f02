"""/api/: the versioned API under v1/, its OpenAPI schema, and the documentation page."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ratification.api import statements, views

app_name = "api"


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the project's own static files (drf-spectacular-sidecar): no CDN, CSP-friendly."""

    template_name = "api/docs.html"
    url_name = "api:schema"


def not_found(request: HttpRequest) -> JsonResponse:
    """Any other /api/v1/.../ path: a JSON 404 that says where the resources are."""
    message = _("No such resource. The resources are listed at /api/v1/ and documented at /api/docs/.")
    return JsonResponse({"detail": message}, status=404)


router = DefaultRouter()
router.include_format_suffixes = False
router.register("treaties", views.TreatyViewSet, basename="treaty")
router.register(
    r"treaties/(?P<mtdsg>[^/]+)/participants", views.TreatyParticipantViewSet, basename="treaty-participant"
)
router.register(
    r"treaties/(?P<mtdsg>[^/]+)/declarations", statements.TreatyDeclarationViewSet, basename="treaty-declaration"
)
router.register("actions", views.ActionViewSet, basename="action")
router.register("events", views.EventViewSet, basename="event")
router.register("poll-runs", views.PollRunViewSet, basename="poll-run")

urlpatterns = [
    path("v1/", include(router.urls)),
    # Paths ending in a slash only, so /api/v1/treaties is still redirected to /api/v1/treaties/.
    re_path(r"^v1/(?:.*/)?$", not_found),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("", RedirectView.as_view(pattern_name="api:docs", permanent=False), name="index"),
]
