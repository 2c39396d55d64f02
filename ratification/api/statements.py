"""`/api/v1/treaties/<mtdsg>/declarations/`: a treaty's statements (reservations, declarations,
objections, notifications, territorial applications), filtered by `participant` (code), `kind`
and `article`, cursor-paginated like every list here, and documented in the OpenAPI schema.

The filters parse and check the query (a malformed value is a 400 naming it); the statements'
kinds and articles are lists, filtered in Python over the treaty's few hundred rows at most
(statement_selectors.statement_list), then paged by id.
"""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ratification import statement_selectors
from ratification.api import docs
from ratification.api.examples import SITE
from ratification.api.filters import KeyListFilter, StrictFilterSet, choice_list_filter, key_schema, participant_filter
from ratification.api.serializers import ResponseSerializer, footnotes_field
from ratification.api.views import ListEndpoint, get_treaty_or_404
from ratification.models import Statement, StatementKind, StatementSection

ARTICLE_PATTERN = r"(?:\d{1,4}(?:\.\d{1,2})?|[IVXL]{1,8})(?:\([0-9a-z]{1,4}\))*"
ARTICLE_HELP = _(
    "An article: its number (22) takes in every reference to it (22, 22(4)); a reference as the API "
    "writes it (35(3)) only that one. Repeat for several."
)
STATES = [
    ("current", _("standing in the UN's record now (the default)")),
    ("withdrawn", _("gone from the UN's record: withdrawn")),
    ("all", _("both")),
]


class DeclarationFilter(StrictFilterSet):
    """A treaty's statements by who made them, what they are and which articles they cite."""

    participant = participant_filter()
    kind = choice_list_filter(StatementKind.choices, _("Statements of this kind; repeat for several."))
    article = extend_schema_field(key_schema(ARTICLE_PATTERN, ARTICLE_HELP))(
        KeyListFilter(
            field_name="articles",
            pattern=ARTICLE_PATTERN,
            malformed=_("%(value)s is not an article: give its number (22, IX) or a reference such as 35(3)."),
            help_text=ARTICLE_HELP,
        )
    )
    state = django_filters.ChoiceFilter(
        choices=STATES,
        empty_label=None,
        help_text=_("Statements standing now (current, the default), withdrawn ones, or all."),
    )

    class Meta:
        model = Statement
        fields: list[str] = []


class AnswerSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("The State whose statement it answers, as the source names it."))
    kind = serializers.CharField(help_text=_("reservation, declaration or statement."))
    participant = serializers.CharField(source="code", allow_null=True, help_text=_("Its code, when known."))


class DeclarationSerializer(ResponseSerializer):
    """One statement of one participant, as the UN Treaty Collection prints it."""

    treaty = serializers.CharField(source="treaty.mtdsg", help_text=_("MTDSG number."))
    participant = serializers.CharField(source="participant.code", help_text=_("Participant code."))
    participant_name = serializers.CharField(source="participant.name")
    section = serializers.ChoiceField(
        choices=StatementSection.choices, help_text=_("The section of the status file it is printed in.")
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=StatementKind.choices),
        help_text=_("What it is, from its own headings and words; `withdrawal` when it withdraws one."),
    )
    articles = serializers.ListField(
        child=serializers.CharField(), help_text=_("The articles it cites, compactly: 22, 35(3).")
    )
    date = serializers.DateField(allow_null=True, help_text=_("The date it gives, if any."))
    text = serializers.CharField(
        help_text=_("Its text, one paragraph per line (for a territorial application, the territories).")
    )
    footnotes = footnotes_field()
    answers = AnswerSerializer(many=True, help_text=_("For an objection: the statements of other States it answers."))
    withdrawn_on = serializers.DateField(
        allow_null=True, help_text=_("The day the tracker found it gone from the source; null while it stands.")
    )
    recorded_at = serializers.DateTimeField(source="created_at", help_text=_("When the tracker first recorded it."))
    page_url = serializers.SerializerMethodField(help_text=_("Its place on its participant's page."))

    class Meta:
        model = Statement
        fields = [
            "id", "treaty", "participant", "participant_name", "section", "kinds", "articles", "date", "text",
            "footnotes", "answers", "withdrawn_on", "recorded_at", "updated_at", "page_url",
        ]  # fmt: skip

    def get_page_url(self, statement: Statement) -> str:
        path = reverse("participant", kwargs={"code": statement.participant.code}) + f"#statement-{statement.pk}"
        return self.context["request"].build_absolute_uri(path)


EXAMPLE = {
    "id": 41,
    "treaty": "XVIII-16",
    "participant": "FRA",
    "participant_name": "France",
    "section": "declarations",
    "kinds": ["reservation", "declaration"],
    "articles": ["22(4)", "40"],
    "date": "2026-03-10",
    "text": "10 March 2026\nReservation:\nIn accordance with article 22, paragraph 4, of the Convention, France "
    "reserves the right ...\nDeclaration:\nFrance declares that it designates the Ministry of Justice as the central "
    "authority under article 40.",
    "footnotes": [],
    "answers": [],
    "withdrawn_on": None,
    "recorded_at": "2026-03-11T06:00:12.345678Z",
    "updated_at": "2026-03-11T06:00:12.345678Z",
    "page_url": f"{SITE}/participants/FRA/#statement-41",
}
OBJECTION = {
    **EXAMPLE,
    "id": 42,
    "participant": "DEU",
    "participant_name": "Germany",
    "section": "objections",
    "kinds": ["objection"],
    "articles": ["22"],
    "text": "With regard to the reservation made by France upon ratification:\nThe Government of the Federal Republic "
    "of Germany objects to the reservation made by France to article 22 of the Convention.",
    "answers": [{"name": "France", "kind": "reservation", "participant": "FRA"}],
    "page_url": f"{SITE}/participants/DEU/#statement-42",
}
DECLARATION_LIST = extend_schema(
    summary=_("List a treaty's reservations, declarations and objections"),
    parameters=[docs.MTDSG],
    description=_(
        "Every statement of the treaty's status file, one per participant and section as the UN Treaty "
        "Collection prints them: reservations, declarations, understandings, objections to other States' "
        "statements, notifications under an article, territorial applications. `kinds` and `articles` are read "
        "from the statement's own words. Standing statements by default (`state`); sorted by `id`."
    ),
    tags=[docs.TAG_TREATIES],
    examples=[
        OpenApiExample("A reservation and a declaration", value=EXAMPLE),
        OpenApiExample("An objection to that reservation", value=OBJECTION),
    ],
)


@extend_schema_view(list=DECLARATION_LIST)
class TreatyDeclarationViewSet(ListEndpoint):
    """Statements are filtered in Python (their kinds and articles are lists) and paged by id; the
    filter backend is declared so the schema documents DeclarationFilter."""

    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilter
    queryset = Statement.objects.all()

    def list(self, request: Request, mtdsg: str):
        stored = self.stored_response(request)
        return stored if stored is not None else self.declarations_page(request, mtdsg)

    def declarations_page(self, request: Request, mtdsg: str) -> Response:
        treaty = get_treaty_or_404(mtdsg)
        query = DeclarationFilter(request.query_params)
        if not query.is_valid():
            raise translate_validation(query.errors)
        wanted = query.form.cleaned_data
        rows = statement_selectors.statement_list(
            treaty=treaty,
            state=wanted["state"] or "current",
            codes=wanted["participant"] or (),
            kinds=wanted["kind"] or (),
            articles=wanted["article"] or (),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
