"""Query parameters of the list endpoints: parsed, checked, and refused with a 400 that says why.

Identifiers are the public ones (MTDSG numbers, participant codes), checked for shape before
the database sees them: a malformed value is a clear 400, never a query PostgreSQL refuses.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.utils import extend_schema_field

from ratification.models import (
    CODE_VALIDATOR,
    MTDSG_VALIDATOR,
    Action,
    ActionKind,
    Event,
    EventKind,
    Participant,
    PollOutcome,
    PollRun,
    Treaty,
)
from ratification.selectors import ParticipantStatus

# The model validators' shapes, matched here with fullmatch (their `$` accepts a trailing newline).
MTDSG_PATTERN = MTDSG_VALIDATOR.regex.pattern.removeprefix("^").removesuffix("$")
CODE_PATTERN = CODE_VALIDATOR.regex.pattern.removeprefix("^").removesuffix("$")
MALFORMED_CODE = _("%(value)s is not a participant code: use ISO 3166 alpha-3 codes such as FRA (EUU for the EU).")
DATE_HELP = _("An ISO 8601 date such as 2026-02-10; inclusive.")
SINCE_HELP = _(
    "Only rows recorded or changed at or after this ISO 8601 time (inclusive), e.g. 2026-02-10T09:55:00Z. "
    "For an incremental copy, send the `sync_since` of your previous sync."
)

STATUS_CHOICES = [
    (ParticipantStatus.COUNTED, _("a party whose instrument counts toward entry into force")),
    (ParticipantStatus.PARTY, _("a party whose instrument does not count (a regional organisation)")),
    (ParticipantStatus.SIGNATORY, _("signed, no instrument yet")),
    (ParticipantStatus.WITHDRAWN, _("every action withdrawn")),
]


class KeyListField(forms.ModelMultipleChoiceField):
    """Rows named by a natural key (`FRA`, `XVIII-16`), one or more, each checked for shape first."""

    widget = QueryArrayWidget

    def __init__(self, *args, pattern: str, upper: bool = False, malformed: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pattern, self.upper, self.malformed = re.compile(pattern), upper, malformed

    def clean(self, value):
        value = [item.strip().upper() if self.upper else item.strip() for item in value or []]
        for item in value:
            if not self.pattern.fullmatch(item):
                raise ValidationError(self.malformed, code="malformed", params={"value": item[:40]})
        return super().clean(value)


class CodeListField(forms.Field):
    """Participant codes, one or more, checked for shape only (a code absent here simply matches nothing)."""

    widget = QueryArrayWidget

    def to_python(self, value) -> list[str]:
        codes = [item.strip().upper() for item in value or []]
        for code in codes:
            if not re.fullmatch(CODE_PATTERN, code):
                raise ValidationError(MALFORMED_CODE, code="malformed", params={"value": code[:40]})
        return codes


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, in UTC; a value that cannot be one (year 10000 in UTC) is refused."""

    def to_python(self, value):
        if isinstance(value, str) and re.search(r"\d \d\d:?\d\d$", value):
            # An unencoded "+01:00" reaches us as " 01:00" (a + in a query string is a space).
            value = f"{value[:-6]}+{value[-5:]}" if value[-3] == ":" else f"{value[:-5]}+{value[-4:]}"
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class CodeListFilter(django_filters.Filter):
    field_class = CodeListField


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class KeyListFilter(django_filters.ModelMultipleChoiceFilter):
    """Rows whose foreign key is one of the named rows."""

    field_class = KeyListField

    def get_filter_predicate(self, v) -> dict:
        # django-filter would compare the foreign key with the natural key ("treaty": "XVIII-16").
        return {self.field_name: v}


TREATY_HELP = _("MTDSG number of a treaty, e.g. XVIII-16; repeat the parameter for several.")
PARTICIPANT_HELP = _("Participant code (ISO 3166 alpha-3, EUU for the EU), e.g. FRA; repeat for several.")


def key_schema(pattern: str, description) -> dict:
    # The schema of one value; MultipleChoiceFilter's documentation makes it a repeated parameter.
    return {"type": "string", "pattern": f"^{pattern}$", "description": description}


def treaty_filter() -> django_filters.Filter:
    return extend_schema_field(key_schema(MTDSG_PATTERN, TREATY_HELP))(
        KeyListFilter(
            field_name="treaty",
            queryset=Treaty.objects.all(),
            to_field_name="mtdsg",
            pattern=MTDSG_PATTERN,
            malformed=_("%(value)s is not an MTDSG number: they look like XVIII-16 or XXVII-7-d."),
            error_messages={"invalid_choice": _("No treaty with the MTDSG number %(value)s is followed here.")},
            distinct=False,
            help_text=TREATY_HELP,
        )
    )


def participant_filter() -> django_filters.Filter:
    return extend_schema_field(key_schema(CODE_PATTERN, PARTICIPANT_HELP))(
        KeyListFilter(
            field_name="participant",
            queryset=Participant.objects.all(),
            to_field_name="code",
            pattern=CODE_PATTERN,
            upper=True,
            malformed=MALFORMED_CODE,
            error_messages={"invalid_choice": _("No participant has the code %(value)s.")},
            distinct=False,
            help_text=PARTICIPANT_HELP,
        )
    )


def invalid_choice(choices) -> str:
    """'x is not one of: a, b, c.' with the value left for Django to fill in."""
    return format_lazy(_("{value} is not one of: {choices}."), value="%(value)s", choices=", ".join(dict(choices)))


def choice_list_filter(choices, help_text, **kwargs) -> django_filters.Filter:
    return django_filters.MultipleChoiceFilter(
        choices=choices,
        distinct=False,
        help_text=help_text,
        error_messages={"invalid_choice": invalid_choice(choices)},
        **kwargs,
    )


def since_filter(field_name: str) -> django_filters.Filter:
    return SinceFilter(
        field_name=field_name,
        lookup_expr="gte",
        help_text=SINCE_HELP,
        error_messages={"invalid": _("Use an ISO 8601 date and time such as 2026-02-10T09:55:00Z.")},
    )


def date_filter(lookup_expr: str) -> django_filters.Filter:
    return django_filters.DateFilter(
        field_name="date",
        lookup_expr=lookup_expr,
        input_formats=["%Y-%m-%d"],
        help_text=DATE_HELP,
        error_messages={"invalid": _("Use an ISO 8601 date such as 2026-02-10.")},
    )


def ordering_filter(*orders: tuple[str, str, str]) -> django_filters.Filter:
    """Sort on one field, either way, then on id (the keyset pagination needs a unique key).

    Each order is (field, what ascending means, what descending means); the first is the default.
    """
    choices = [choice for name, up, down in orders for choice in ((name, up), (f"-{name}", down))]
    return django_filters.ChoiceFilter(
        choices=choices,
        method="order",
        empty_label=None,
        help_text=format_lazy(_("Sort order; {default} by default."), default=orders[0][0]),
        error_messages={"invalid_choice": invalid_choice(choices)},
    )


class QueryFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the query names none of the filters.

    Building and validating the filter form costs about 2 ms a request; an unfiltered page
    (the commonest call) has nothing for it to check.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class and not any(name in request.query_params for name in filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class OrderedFilterSet(django_filters.FilterSet):
    def order(self, queryset, name: str, value: str):
        return queryset.order_by(value, "-id" if value.startswith("-") else "id")


class ActionFilter(OrderedFilterSet):
    treaty = treaty_filter()
    participant = participant_filter()
    kind = choice_list_filter(ActionKind.choices, _("Kind of action; repeat for several."))
    date_after = date_filter("gte")
    date_before = date_filter("lte")
    since = since_filter("updated_at")
    ordering = ordering_filter(
        ("updated_at", _("oldest change first"), _("latest change first")),
        ("date", _("earliest action first"), _("latest action first")),
    )

    class Meta:
        model = Action
        fields: list[str] = []


class EventFilter(OrderedFilterSet):
    treaty = treaty_filter()
    participant = participant_filter()
    kind = choice_list_filter(EventKind.choices, _("Kind of event; repeat for several."))
    since = since_filter("created_at")
    ordering = ordering_filter(
        ("created_at", _("first recorded first"), _("last recorded first")),
        ("occurred_on", _("earliest date first"), _("latest date first")),
    )

    class Meta:
        model = Event
        fields: list[str] = []


class PollRunFilter(django_filters.FilterSet):
    treaty = treaty_filter()
    outcome = choice_list_filter(PollOutcome.choices, _("Outcome of the run; repeat for several."))
    since = since_filter("started_at")

    class Meta:
        model = PollRun
        fields: list[str] = []


class ParticipantFilter(django_filters.FilterSet):
    """A treaty's participants, by where they stand, what they did, or who they are.

    Status is computed (selectors.treaty_overview), not stored, so the view applies these
    to the computed rows itself; this set parses, checks and documents the parameters.
    """

    status = choice_list_filter(STATUS_CHOICES, _("Where the participant stands; repeat for several."))
    kind = choice_list_filter(ActionKind.choices, _("Participants with an action of this kind; repeat for several."))
    code = extend_schema_field(
        {"type": "array", "items": key_schema(CODE_PATTERN, ""), "description": PARTICIPANT_HELP}
    )(CodeListFilter())

    class Meta:
        model = Participant
        fields: list[str] = []
