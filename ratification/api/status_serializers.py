"""The API's shapes of a treaty's rule and of where it stands against it (`TreatySerializer`'s
`rule` and `status`). A rule is stated only when it is known (docs/rules.md, "Known rules"):
otherwise its values and the counts toward a threshold are null, and UNTC's dates stand.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ratification import rule_selectors
from ratification.models import Treaty


class RuleSerializer(serializers.Serializer):
    """A treaty's entry-into-force clause, as data; every value null while the rule is not known."""

    known = serializers.SerializerMethodField(
        help_text=_(
            "Whether the rule is known: confirmed by staff, or read from the treaty's clause and giving the date "
            "UNTC declares. When false, every other value here is null and nothing is counted toward a threshold."
        )
    )
    basis = serializers.SerializerMethodField(
        help_text=_("Why it is known: `confirmed` (by staff) or `declared_date` (it gives UNTC's date); null if not.")
    )
    kind = serializers.CharField(source="eif_rule_kind", allow_null=True, help_text=_("The kind of rule."))
    threshold = serializers.IntegerField(
        source="eif_threshold", allow_null=True, help_text=_("Counted instruments needed.")
    )
    delay_days = serializers.IntegerField(
        source="eif_delay_days",
        allow_null=True,
        help_text=_("Days from the last needed instrument to entry into force."),
    )
    reio_counts = serializers.BooleanField(
        allow_null=True,
        help_text=_("Whether a regional organisation's instrument (the EU's) counts toward the threshold."),
    )
    later_party_delay_days = serializers.IntegerField(
        allow_null=True,
        help_text=_("For a later party: days from its deposit (or the general date, if later); null if not given."),
    )
    date_override = serializers.DateField(
        source="eif_date_override",
        allow_null=True,
        help_text=_("A date set by staff for a treaty UNTC does not declare in force; replaces the computed one."),
    )

    def get_known(self, treaty: Treaty) -> bool:
        return rule_selectors.rule_known(treaty=treaty)

    def get_basis(self, treaty: Treaty) -> str | None:
        return treaty.rule_basis or None

    def to_representation(self, treaty: Treaty) -> dict:
        data = super().to_representation(treaty)
        if not data["known"]:
            # The fields of a rule nobody confirmed say nothing (docs/rules.md, "Known rules").
            data.update(kind=None, threshold=None, delay_days=None, reio_counts=None, later_party_delay_days=None)
        return data


class StatusSerializer(serializers.Serializer):
    """Where a treaty stands against its rule (selectors.TreatySummary)."""

    signatories = serializers.IntegerField(help_text=_("Participants with a signature not withdrawn."))
    parties = serializers.IntegerField(help_text=_("Participants with an instrument not withdrawn."))
    counted = serializers.IntegerField(
        allow_null=True, help_text=_("Instruments that count toward the threshold; null while the rule is not known.")
    )
    threshold = serializers.IntegerField(
        allow_null=True, help_text=_("Counted instruments needed; null while the rule is not known.")
    )
    needed = serializers.IntegerField(
        allow_null=True,
        help_text=_("Counted instruments still needed (0 once reached); null while the rule is not known."),
    )
    reio_parties_not_counted = serializers.IntegerField(
        help_text=_("Parties whose instrument does not count (a regional organisation, when the rule says so).")
    )
    threshold_reached_on = serializers.DateField(
        allow_null=True, help_text=_("Deposit date of the instrument that reached the threshold.")
    )
    entry_into_force = serializers.DateField(
        source="entry_into_force_on",
        allow_null=True,
        help_text=_(
            "The general entry-into-force date: the one UNTC declares (definitive), else one set by staff, else the "
            "one the known rule computes."
        ),
    )
    entry_into_force_source = serializers.CharField(
        allow_null=True,
        help_text=_("Where `entry_into_force` comes from: `untc`, `staff` or `rule`; null with no date."),
    )
    provisional_entry_into_force = serializers.DateField(
        source="provisional_entry_into_force_on",
        allow_null=True,
        help_text=_("The provisional entry into force UNTC declares, if any."),
    )

    def to_representation(self, summary) -> dict:
        data = super().to_representation(summary)
        data["entry_into_force_source"] = data["entry_into_force_source"] or None
        return data
