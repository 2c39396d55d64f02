"""A treaty's entry-into-force rule in the API: as data (kind, numbers, group, weight) and in words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ratification.models import RuleKind, Treaty
from ratification.views import wording


class RuleGroupSerializer(serializers.Serializer):
    """Of a rule of kind `group`: how many of the counted instruments must come from which participants."""

    name = serializers.CharField(source="eif_group_name", help_text=_("The group, in the treaty's words."))
    threshold = serializers.IntegerField(
        source="eif_group_threshold", help_text=_("Counted instruments needed from the group.")
    )
    participants = serializers.ListField(
        child=serializers.CharField(), source="eif_group_codes", help_text=_("The group's participant codes.")
    )


class RuleWeightSerializer(serializers.Serializer):
    """Of a rule of kind `weight`: the share of a weight the parties must hold together."""

    name = serializers.CharField(source="eif_weight_name", help_text=_("What the weight measures."))
    percent = serializers.FloatField(
        source="eif_weight_percent", allow_null=True, help_text=_("Share needed, in percent.")
    )
    shares = serializers.DictField(
        child=serializers.FloatField(),
        source="eif_weights",
        help_text=_("Each participant's share in percent, by code."),
    )
    source = serializers.CharField(source="eif_weights_source", help_text=_("Where the shares come from."))


class RuleSerializer(serializers.Serializer):
    """A treaty's entry-into-force clause, as data, and in words."""

    kind = serializers.ChoiceField(
        source="eif_rule_kind",
        choices=RuleKind.choices,
        help_text=_(
            "count: the N-th instrument, then a delay; month_following: the first day of the month following "
            "M months after the N-th; group: N including K from a group; weight: N parties holding P percent of a "
            "weight; per_party: for each party only, after its own instrument."
        ),
    )
    text = serializers.SerializerMethodField(help_text=_("The rule in plain words, as the status page says it."))
    threshold = serializers.IntegerField(source="eif_threshold", help_text=_("Counted instruments needed."))
    delay_days = serializers.IntegerField(
        source="eif_delay_days", help_text=_("Days from the last needed instrument to entry into force.")
    )
    delay_months = serializers.IntegerField(
        source="eif_delay_months",
        help_text=_("Months added to the days; for month_following, the M months."),
    )
    reio_counts = serializers.BooleanField(
        help_text=_("Whether a regional organisation's instrument (the EU's) counts toward the threshold.")
    )
    later_party_delay_days = serializers.IntegerField(
        help_text=_("For a later party: days from its deposit (or the general date, if later).")
    )
    later_party_delay_months = serializers.IntegerField(help_text=_("Months added to those days."))
    group = serializers.SerializerMethodField()
    weight = serializers.SerializerMethodField()
    date_override = serializers.DateField(
        source="eif_date_override",
        allow_null=True,
        help_text=_("A date set by staff for clauses the fields above cannot express; replaces the computed one."),
    )

    def get_text(self, treaty: Treaty) -> str:
        return " ".join(wording.rule_sentences(treaty))

    @extend_schema_field(RuleGroupSerializer(allow_null=True))
    def get_group(self, treaty: Treaty) -> dict | None:
        return RuleGroupSerializer(treaty).data if treaty.eif_rule_kind == RuleKind.GROUP else None

    @extend_schema_field(RuleWeightSerializer(allow_null=True))
    def get_weight(self, treaty: Treaty) -> dict | None:
        return RuleWeightSerializer(treaty).data if treaty.eif_rule_kind == RuleKind.WEIGHT else None
