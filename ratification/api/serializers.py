"""The JSON shapes of the API. Identifiers are public ones: MTDSG numbers and participant codes.

Computed numbers (counts, thresholds, entry-into-force dates) come from `ratification.selectors`,
the same code as the status page; the keys are those of `TreatySummary.as_json()`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ratification import rule_selectors, rules, selectors
from ratification.api.rule_serializers import RuleSerializer
from ratification.api.status_serializers import StatusSerializer
from ratification.models import INSTRUMENT_KINDS, Action, Event, PollRun, StageKind, Treaty
from ratification.pipeline import pipeline_of
from ratification.selectors import ParticipantStatus
from ratification.services.polling import treaty_source_url
from ratification.stage_selectors import deposit_dates


class ResponseSerializer(serializers.ModelSerializer):
    """Output only: every field is read-only, so always present, and the schema marks it required."""

    def get_fields(self) -> dict:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class TreatySerializer(ResponseSerializer):
    """A treaty with its rule and computed status: from `selectors.treaty_list()`, with the statuses
    of `selectors.treaty_statuses()` in the context (no query per treaty)."""

    rule = RuleSerializer(source="*")
    status = serializers.SerializerMethodField()
    source_url = serializers.SerializerMethodField(help_text=_("The UN Treaty Collection file the tracker reads."))
    last_checked_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the tracker last read the source (successfully or not).")
    )
    last_success_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the tracker last read the source successfully.")
    )
    last_change_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the tracker last recorded a change to this treaty.")
    )
    participants_url = serializers.SerializerMethodField(help_text=_("This treaty's participants in this API."))
    page_url = serializers.SerializerMethodField(help_text=_("This treaty's public status page."))

    class Meta:
        model = Treaty
        fields = [
            "mtdsg",
            "chapter",
            "title",
            "short_title",
            "conclusion_place",
            "conclusion_date",
            "signature_deadline",
            "rule",
            "status",
            "last_checked_at",
            "last_success_at",
            "last_change_at",
            "source_url",
            "participants_url",
            "page_url",
        ]

    @extend_schema_field(StatusSerializer)
    def get_status(self, treaty: Treaty) -> dict:
        return StatusSerializer(self.context["statuses"][treaty.pk]).data

    def get_source_url(self, treaty: Treaty) -> str:
        return treaty_source_url(treaty)

    def get_participants_url(self, treaty: Treaty) -> str:
        return self._absolute(reverse("api:treaty-participant-list", kwargs={"mtdsg": treaty.mtdsg}))

    def get_page_url(self, treaty: Treaty) -> str:
        return self._absolute(reverse("treaty", kwargs={"mtdsg": treaty.mtdsg}))

    def _absolute(self, path: str) -> str:
        return self.context["request"].build_absolute_uri(path)


def footnotes_field() -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(), help_text=_("Numbers of the source's footnotes."))


class ActionBriefSerializer(ResponseSerializer):
    """One action of a participant, inside that participant's row."""

    footnotes = footnotes_field()

    class Meta:
        model = Action
        fields = ["kind", "date", "marker", "label", "footnotes", "withdrawn", "origin", "updated_at"]


class StageSerializer(serializers.Serializer):
    """A national step reported by a national source and curated by staff: never a UN action."""

    stage = serializers.ChoiceField(
        source="kind",
        choices=StageKind.choices,
        help_text=_("submitted, approved (by parliament), signed_into_law, deposit_announced, or other (see `label`)."),
    )
    label = serializers.CharField(help_text=_("The step's own name, for a step of another kind; empty otherwise."))
    date = serializers.DateField(help_text=_("When the step happened, as the source gives it."))
    source_url = serializers.URLField(help_text=_("The public page that reports it."))
    source_host = serializers.CharField(help_text=_("Who reports it: the source's host."))
    note = serializers.CharField(help_text=_("Staff's note."))
    pending = serializers.SerializerMethodField(
        help_text=_("True while no deposit with the UN has followed it (the participant is in the pipeline).")
    )

    def get_pending(self, stage) -> bool:
        return stage.pk in self.context["pending"]


class ParticipantRowSerializer(serializers.Serializer):
    """A participant under one treaty (selectors.ParticipantRow): where it stands, what it did, when it is bound."""

    code = serializers.CharField(help_text=_("ISO 3166 alpha-3 code; EUU for the European Union."))
    name = serializers.CharField(help_text=_("As the UN Treaty Collection writes it."))
    is_reio = serializers.BooleanField(help_text=_("A regional economic integration organisation (the EU)."))
    status = serializers.ChoiceField(
        choices=[
            ParticipantStatus.COUNTED,
            ParticipantStatus.PARTY,
            ParticipantStatus.SIGNATORY,
            ParticipantStatus.OTHER,
            ParticipantStatus.WITHDRAWN,
            ParticipantStatus.NONE,
        ],
        help_text=_(
            "counted: party whose instrument counts; party: one whose instrument does not count; "
            "signatory: signed only; other: only a provisional application or another notification; "
            "withdrawn: every action withdrawn; none: no UN action yet, only national steps reported."
        ),
    )
    entry_into_force = serializers.DateField(
        source="entry_into_force_on", allow_null=True, help_text=_("When the treaty enters into force for it.")
    )
    footnotes = footnotes_field()
    signature = ActionBriefSerializer(allow_null=True)
    instrument = ActionBriefSerializer(allow_null=True, help_text=_("Its instrument of consent to be bound, if any."))
    actions = ActionBriefSerializer(many=True)
    reported_stages = serializers.SerializerMethodField(
        help_text=_(
            "National steps (a parliament's approval, a law) reported by national sources and curated by staff, "
            "oldest first. Not UN data: they change no count, status or date above."
        )
    )

    @extend_schema_field(StageSerializer(many=True))
    def get_reported_stages(self, row: selectors.ParticipantRow) -> list[dict]:
        pipeline = pipeline_of(row.stages, deposit_dates(row.actions))
        context = {"pending": {stage.pk for stage in pipeline.pending}}
        return StageSerializer(row.stages, many=True, context=context).data


class ActionSerializer(ResponseSerializer):
    """A signature or instrument; (treaty, participant, kind) identifies it. Its treaty must be selected along."""

    treaty = serializers.CharField(source="treaty.mtdsg", help_text=_("MTDSG number."))
    participant = serializers.CharField(source="participant.code", help_text=_("Participant code."))
    participant_name = serializers.CharField(source="participant.name")
    footnotes = footnotes_field()
    is_instrument = serializers.BooleanField(help_text=_("An instrument of consent to be bound (not a signature)."))
    counts_toward_threshold = serializers.SerializerMethodField(
        help_text=_(
            "Whether the treaty's rule counts this instrument toward entry into force; null while the rule is not "
            "known."
        )
    )

    class Meta:
        model = Action
        fields = [
            "treaty",
            "participant",
            "participant_name",
            "kind",
            "date",
            "marker",
            "label",
            "footnotes",
            "withdrawn",
            "is_instrument",
            "counts_toward_threshold",
            "origin",
            "provenance",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_counts_toward_threshold(self, action: Action) -> bool | None:
        rule = rule_selectors.treaty_rule(treaty=action.treaty)
        if rule is None:
            return None
        if action.kind not in INSTRUMENT_KINDS:
            return False
        return rules.counts_toward_threshold(rule_selectors.as_instrument(action), rule)


class EventActionSerializer(ResponseSerializer):
    class Meta:
        model = Action
        fields = ["kind", "date"]


class EventSerializer(ResponseSerializer):
    """One detected change. `data` depends on `kind` (see the examples)."""

    treaty = serializers.CharField(source="treaty.mtdsg", help_text=_("MTDSG number."))
    participant = serializers.CharField(source="participant.code", allow_null=True, help_text=_("Participant code."))
    participant_name = serializers.CharField(source="participant.name", allow_null=True)
    action = EventActionSerializer(allow_null=True)
    recorded_at = serializers.DateTimeField(source="created_at", help_text=_("When the tracker recorded it."))
    data = serializers.DictField(help_text=_("Details of the change; their keys depend on `kind`."))

    class Meta:
        model = Event
        fields = [
            "id",
            "treaty",
            "kind",
            "occurred_on",
            "recorded_at",
            "public",
            "participant",
            "participant_name",
            "action",
            "data",
        ]


class PollRunSerializer(ResponseSerializer):
    """One read of a treaty's UNTC file (staff only)."""

    treaty = serializers.CharField(source="treaty.mtdsg", help_text=_("MTDSG number."))

    class Meta:
        model = PollRun
        fields = [
            "id",
            "treaty",
            "started_at",
            "finished_at",
            "outcome",
            "slot",
            "http_status",
            "bytes_received",
            "content_hash",
            "etag",
            "last_modified",
            "signatories",
            "parties",
            "participants_seen",
            "new_actions",
            "corrections",
            "summary",
            "error",
        ]
