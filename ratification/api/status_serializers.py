"""The API's shape of where a treaty stands against its rule (`TreatySerializer`'s `status`; the
rule itself is `rule_serializers.py`'s). The counts toward a threshold are null while the rule is
not known (docs/rules.md, "Known rules"), and UNTC's dates stand.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


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
