"""Read-only endpoints of /api/v1/: parse the query, call a selector, serialize, paginate.

Every successful GET carries an ETag and a Last-Modified and answers 304 to a reader that holds
it; writes answer 405 (the viewsets define no write actions); anonymous clients share
API_ANON_RATE; anonymous JSON reads are answered from the one response cache (ratification/cache.py).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import set_response_etag
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response

from ratification import cache
from ratification.api import docs, selectors
from ratification.api.filters import (
    MTDSG_PATTERN,
    ActionFilter,
    EventFilter,
    ParticipantFilter,
    PollRunFilter,
    QueryFilterBackend,
)
from ratification.api.pagination import KeysetPagination, SyncPagination
from ratification.api.serializers import (
    ActionSerializer,
    EventSerializer,
    ParticipantRowSerializer,
    PollRunSerializer,
    TreatySerializer,
)
from ratification.models import Participant, Treaty
from tracker.conditional import Validators, not_modified

NO_SUCH_TREATY = _("No treaty with this MTDSG number is followed here; /api/v1/treaties/ lists those that are.")


class ReadOnlyEndpoint:
    """What every endpoint here does: refuse writes first, and answer GETs conditionally.

    A write is a 405 before anything else is looked at, so nobody gets a misleading 403 (a
    missing CSRF token, no staff rights) for a method that does not exist.

    Every successful GET or HEAD carries an ETag and a Last-Modified (the data's, as the pages'),
    and a reader that holds it gets 304 Not Modified (tracker/conditional.py). An anonymous JSON
    read goes through the one response cache (ratification/cache.py), unless
    API_STORE_RESPONSES is off: keyed there (its ETag is the key), it is answered from the stored
    response, or a 304, before anything is built, and only after authentication, permissions and
    the throttle have run (in `initial`). Anything else (staff, who see more; the browsable HTML,
    which carries a form token) is built each time, and its ETag is a hash of its body.
    """

    cache_key: str | None = None
    stored_validators: Validators | None = None

    def initial(self, request: Request, *args, **kwargs) -> None:
        if request.method not in self._allowed_methods():
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def list(self, request: Request, *args, **kwargs) -> HttpResponse:
        stored = self.stored_response(request)
        return stored if stored is not None else super().list(request, *args, **kwargs)

    def stored_response(self, request: Request) -> HttpResponse | None:
        """The stored answer to this read, or a 304; None when it must be built (and then stored)."""
        if not (settings.API_STORE_RESPONSES and not request.user.is_authenticated):
            return None
        if request.accepted_renderer.format != "json":
            return None
        version = cache.data_version()
        self.cache_key = cache.response_key(
            request,
            version=version,
            language=translation.get_language() or "",
            media_type=request.accepted_media_type,
        )
        self.stored_validators = self.validators(request, etag=cache.etag(self.cache_key), version=version)
        return cache.from_store(request, self.cache_key, self.stored_validators)

    def validators(self, request: Request, *, etag: str, version: cache.DataVersion) -> Validators:
        # Caches may keep a copy but must check it is current (a cheap 304) before using it.
        private = request.user.is_staff
        return Validators(etag, version.last_modified, f"no-cache, {'private' if private else 'public'}")

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or not isinstance(response, Response):
            return response  # an error, a 304, or a stored response: already complete
        response.render()
        if self.cache_key:
            return cache.into_store(self.cache_key, response, self.stored_validators)
        set_response_etag(response)  # a hash of the body
        validators = self.validators(request, etag=response["ETag"], version=cache.data_version())
        unchanged = not_modified(request, etag=validators.etag, last_modified=validators.last_modified)
        return validators.apply(unchanged if unchanged is not None else response)


def get_treaty_or_404(mtdsg: str, queryset=None) -> Treaty:
    # The shape is checked first so a stray value (a NUL byte, 10 kB of text) never reaches the database.
    treaty = None
    if re.fullmatch(MTDSG_PATTERN, mtdsg):
        treaty = (Treaty.objects.all() if queryset is None else queryset).filter(mtdsg=mtdsg).first()
    if treaty is None:
        raise Http404(NO_SUCH_TREATY)
    return treaty


class ListEndpoint(ReadOnlyEndpoint, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A read-only list, filtered by its filterset and paginated by keyset."""

    pagination_class = KeysetPagination
    filter_backends = [QueryFilterBackend]


@extend_schema_view(list=docs.TREATY_LIST, retrieve=docs.TREATY_DETAIL)
class TreatyViewSet(ReadOnlyEndpoint, viewsets.ReadOnlyModelViewSet):
    serializer_class = TreatySerializer
    pagination_class = KeysetPagination
    lookup_field = "mtdsg"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.treaty_list()

    def retrieve(self, request: Request, *args, **kwargs) -> HttpResponse:
        stored = self.stored_response(request)
        return stored if stored is not None else super().retrieve(request, *args, **kwargs)

    def get_object(self) -> Treaty:
        return get_treaty_or_404(self.kwargs["mtdsg"], self.get_queryset())

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is not None:  # None when the schema generator asks for the shape
            treaties = instance if kwargs.get("many") else [instance]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "statuses": selectors.treaty_statuses(treaties=treaties),
            }
        return super().get_serializer(instance, *args, **kwargs)


@extend_schema_view(list=docs.PARTICIPANT_LIST)
class TreatyParticipantViewSet(ListEndpoint):
    """Participants are computed rows (status, own entry-into-force date), filtered in Python and
    paginated by code; the filter backend is declared so the schema documents ParticipantFilter."""

    serializer_class = ParticipantRowSerializer
    filterset_class = ParticipantFilter
    queryset = Participant.objects.all()

    def list(self, request: Request, mtdsg: str) -> HttpResponse:
        stored = self.stored_response(request)
        return stored if stored is not None else self.participants_page(request, mtdsg)

    def participants_page(self, request: Request, mtdsg: str) -> Response:
        treaty = get_treaty_or_404(mtdsg)
        query = ParticipantFilter(request.query_params)
        if not query.is_valid():
            raise translate_validation(query.errors)
        wanted = query.form.cleaned_data
        rows = selectors.participant_rows(
            treaty=treaty, statuses=wanted["status"], kinds=wanted["kind"], codes=wanted["code"] or ()
        )
        by_id = {row.participant_id: row for row in rows}
        page = self.paginate_queryset(Participant.objects.filter(pk__in=by_id).order_by("code"))
        serializer = self.get_serializer([by_id[participant.pk] for participant in page], many=True)
        return self.get_paginated_response(serializer.data)


@extend_schema_view(list=docs.ACTION_LIST)
class ActionViewSet(ListEndpoint):
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    pagination_class = SyncPagination
    sync_field = "updated_at"

    def get_queryset(self):
        return selectors.action_list()


@extend_schema_view(list=docs.EVENT_LIST)
class EventViewSet(ListEndpoint):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    pagination_class = SyncPagination
    sync_field = "created_at"

    def get_queryset(self):
        return selectors.event_list(user=self.request.user)


@extend_schema_view(list=docs.POLL_RUN_LIST)
class PollRunViewSet(ListEndpoint):
    serializer_class = PollRunSerializer
    filterset_class = PollRunFilter
    permission_classes = [IsAdminUser]

    def get_queryset(self):
        return selectors.poll_run_list()
