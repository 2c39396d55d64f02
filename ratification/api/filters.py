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
from drf_spectacular.utils import extend_schema_field

from ratification.models import (
    CODE_VALIDATOR,
    Action,
    ActionKind,
    Event,
    EventKind,
    Participant,
    PollOutcome,
    PollRun,
)
from ratification.selectors import ParticipantStatus
from scrapers.mtdsg import MTDSG_PATTERN

# The shapes of identifiers, matched here with fullmatch (a `$` accepts a trailing newline); MTDSG
# numbers have one grammar, scrapers/mtdsg.py's.
CODE_PATTERN = CODE_VALIDATOR.regex.pattern.removeprefix("^").removesuffix("$")
# What a query may say for a code: either case (FRA or fra), matched after upper-casing.
CODE_QUERY_PATTERN = CODE_PATTERN.replace("A-Z", "A-Za-z")
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
    (ParticipantStatus.OTHER, _("only a provisional application or another notification")),
    (ParticipantStatus.WITHDRAWN, _("every action withdrawn")),
    (ParticipantStatus.NONE, _("no UN action yet, only national steps reported")),
]


class KeyListField(forms.Field):
    """Rows named by a natural key (`FRA`, `XVIII-16`), one or more, each checked for shape.

    Only the shape is checked: a well-formed key that names no row matches nothing (an empty
    page, not a 400), the same on every endpoint, as the schema (a pattern, not a list) says.
    """

    # Every value of a repeated parameter, empty ones too (django-filter's QueryArrayWidget
    # dropped them, and read "FRA,MLI" as two codes, which the schema does not say).
    widget = forms.MultipleHiddenInput

    def __init__(self, *args, pattern: str, upper: bool = False, malformed: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pattern, self.upper, self.malformed = re.compile(pattern), upper, malformed

    def to_python(self, value) -> list[str]:
        keys = [item.strip().upper() if self.upper else item.strip() for item in value or []]
        for key in keys:
            if not self.pattern.fullmatch(key):
                raise ValidationError(self.malformed, code="malformed", params={"value": key[:40]})
        return keys


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


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class KeyListFilter(django_filters.Filter):
    """Rows whose `field_name` (through `to_field_name`, if given) is one of the keys."""

    field_class = KeyListField

    def __init__(self, *args, to_field_name: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.to_field_name = to_field_name

    def filter(self, qs, value: list[str]):
        if not value:
            return qs
        path = f"{self.field_name}__{self.to_field_name}" if self.to_field_name else self.field_name
        return qs.filter(**{f"{path}__in": value})


TREATY_HELP = _(
    "MTDSG number of a treaty, e.g. XVIII-16; repeat the parameter for several. "
    "A treaty not followed here matches nothing."
)
PARTICIPANT_HELP = _(
    "Participant code (ISO 3166 alpha-3, EUU for the EU), e.g. FRA, in either case; repeat for several. "
    "A code no participant has matches nothing."
)


def key_schema(pattern: str, description) -> dict:
    """A repeated parameter (`?participant=FRA&participant=MLI`), each value matching `pattern`."""
    return {
        "type": "array",
        "items": {"type": "string", "pattern": f"^{pattern}$"},
        "description": description,
    }


def treaty_filter() -> django_filters.Filter:
    return extend_schema_field(key_schema(MTDSG_PATTERN, TREATY_HELP))(
        KeyListFilter(
            field_name="treaty",
            to_field_name="mtdsg",
            pattern=MTDSG_PATTERN,
            malformed=_("%(value)s is not an MTDSG number: they look like XVIII-16, XXVII-7-d or III-2-12b."),
            help_text=TREATY_HELP,
        )
    )


def participant_filter(field_name: str = "participant", to_field_name: str | None = "code") -> django_filters.Filter:
    # Codes are stored in capitals; a lower-case one is read as its capitals, as the pattern says.
    return extend_schema_field(key_schema(CODE_QUERY_PATTERN, PARTICIPANT_HELP))(
        KeyListFilter(
            field_name=field_name,
            to_field_name=to_field_name,
            pattern=CODE_QUERY_PATTERN,
            upper=True,
            malformed=MALFORMED_CODE,
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


EMPTY_VALUE = _("This parameter is empty: give it a value, or leave it out.")


class StrictFilterSet(django_filters.FilterSet):
    """One rule for every parameter: a value its schema allows, or a 400 that names it.

    django-filter skipped some empty values (`code=`, `date_after=`) and refused others
    (`kind=`); an empty value is now refused everywhere, so `?participant=` (a client whose
    variable was empty) never quietly returns every row.
    """

    def is_valid(self) -> bool:
        valid = super().is_valid()
        getlist = getattr(self.data, "getlist", None)
        for name in self.filters if getlist else ():
            if name in self.data and any(not value.strip() for value in getlist(name)):
                self.form.errors[name] = self.form.error_class([EMPTY_VALUE])
        return valid and not self.form.errors


class OrderedFilterSet(StrictFilterSet):
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


class PollRunFilter(StrictFilterSet):
    treaty = treaty_filter()
    outcome = choice_list_filter(PollOutcome.choices, _("Outcome of the run; repeat for several."))
    since = since_filter("started_at")

    class Meta:
        model = PollRun
        fields: list[str] = []


class ParticipantFilter(StrictFilterSet):
    """A treaty's participants, by where they stand, what they did, or who they are.

    Status is computed (selectors.treaty_overview), not stored, so the view applies these
    to the computed rows itself; this set parses, checks and documents the parameters.
    """

    status = choice_list_filter(STATUS_CHOICES, _("Where the participant stands; repeat for several."))
    kind = choice_list_filter(ActionKind.choices, _("Participants with an action of this kind; repeat for several."))
    code = participant_filter(field_name="code", to_field_name=None)

    class Meta:
        model = Participant
        fields: list[str] = []
