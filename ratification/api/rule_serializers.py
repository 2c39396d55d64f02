"""A treaty's entry-into-force rule in the API: whether it is known and why, as data (kind,
numbers, group, weight) and in words. A rule is stated only when it is known (docs/rules.md,
"Known rules"): otherwise its values are null, and `text` says that it is not confirmed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ratification import rule_selectors
from ratification.models import RuleKind, Treaty
from ratification.wording.rules import rule_sentences


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


# What a rule nobody confirmed says: nothing (docs/rules.md, "Known rules").
UNKNOWN_RULE_VALUES = dict.fromkeys(
    (
        "kind",
        "threshold",
        "delay_days",
        "delay_months",
        "reio_counts",
        "later_party_delay_days",
        "later_party_delay_months",
        "group",
        "weight",
    )
)


class RuleSerializer(serializers.Serializer):
    """A treaty's entry-into-force clause, as data, and in words; every value null while the rule is not known."""

    known = serializers.SerializerMethodField(
        help_text=_(
            "Whether the rule is known: confirmed by staff, or read from the treaty's clause and giving the date "
            "UNTC declares. When false, every other value here is null and nothing is counted toward a threshold."
        )
    )
    basis = serializers.SerializerMethodField(
        help_text=_("Why it is known: `confirmed` (by staff) or `declared_date` (it gives UNTC's date); null if not.")
    )
    kind = serializers.ChoiceField(
        source="eif_rule_kind",
        choices=RuleKind.choices,
        allow_null=True,
        help_text=_(
            "count: the N-th instrument, then a delay; month_following: the first day of the month following "
            "M months after the N-th; group: N including K from a group; weight: N parties holding P percent of a "
            "weight; per_party: for each party only, after its own instrument."
        ),
    )
    text = serializers.SerializerMethodField(help_text=_("The rule in plain words, as the status page says it."))
    threshold = serializers.IntegerField(
        source="eif_threshold", allow_null=True, help_text=_("Counted instruments needed.")
    )
    delay_days = serializers.IntegerField(
        source="eif_delay_days",
        allow_null=True,
        help_text=_("Days from the last needed instrument to entry into force."),
    )
    delay_months = serializers.IntegerField(
        source="eif_delay_months",
        allow_null=True,
        help_text=_("Months added to the days; for month_following, the M months."),
    )
    reio_counts = serializers.BooleanField(
        allow_null=True,
        help_text=_("Whether a regional organisation's instrument (the EU's) counts toward the threshold."),
    )
    later_party_delay_days = serializers.IntegerField(
        allow_null=True,
        help_text=_("For a later party: days from its deposit (or the general date, if later); null if not given."),
    )
    later_party_delay_months = serializers.IntegerField(allow_null=True, help_text=_("Months added to those days."))
    group = serializers.SerializerMethodField()
    weight = serializers.SerializerMethodField()
    date_override = serializers.DateField(
        source="eif_date_override",
        allow_null=True,
        help_text=_("A date set by staff for a treaty UNTC does not declare in force; replaces the computed one."),
    )

    def get_known(self, treaty: Treaty) -> bool:
        return rule_selectors.rule_known(treaty=treaty)

    def get_basis(self, treaty: Treaty) -> str | None:
        return treaty.rule_basis or None

    def get_text(self, treaty: Treaty) -> str:
        return " ".join(rule_sentences(treaty))

    @extend_schema_field(RuleGroupSerializer(allow_null=True))
    def get_group(self, treaty: Treaty) -> dict | None:
        return RuleGroupSerializer(treaty).data if treaty.eif_rule_kind == RuleKind.GROUP else None

    @extend_schema_field(RuleWeightSerializer(allow_null=True))
    def get_weight(self, treaty: Treaty) -> dict | None:
        return RuleWeightSerializer(treaty).data if treaty.eif_rule_kind == RuleKind.WEIGHT else None

    def to_representation(self, treaty: Treaty) -> dict:
        data = super().to_representation(treaty)
        if not data["known"]:
            data.update(UNKNOWN_RULE_VALUES)
        return data
