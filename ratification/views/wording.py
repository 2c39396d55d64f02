"""Sentences the pages and the feed share: the rule in plain words, what an event means, where UNTC shows it."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratification.models import (
    INSTRUMENT_KINDS,
    STATEMENT_EVENT_KINDS,
    ActionKind,
    Event,
    EventKind,
    PollOutcome,
    PollRun,
    RuleKind,
    Treaty,
)
from ratification.views import statement_wording

INSTRUMENT_VALUES = {str(kind) for kind in INSTRUMENT_KINDS}


def _delay_words(days: int, months: int) -> str:
    """'90 days', '6 months', '1 month and 15 days'."""
    day_words = ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
    month_words = ngettext("%(months)s month", "%(months)s months", months) % {"months": months}
    if months and days:
        return _("%(months)s and %(days)s") % {"months": month_words, "days": day_words}
    return month_words if months else day_words


def _percent(value) -> str:
    """55 as '55', 19.135 as '19.14' (or '19,14'): a share as a reader writes it."""
    number = float(value or 0)
    return formats.number_format(int(number) if number.is_integer() else round(number, 2))


def _general_sentence(treaty: Treaty) -> str:
    kind = treaty.eif_rule_kind
    facts = {
        "threshold": treaty.eif_threshold,
        "delay": _delay_words(treaty.eif_delay_days, treaty.eif_delay_months),
        "months": treaty.eif_delay_months,
    }
    if kind == RuleKind.MONTH_FOLLOWING:
        return (
            ngettext(
                "It enters into force on the first day of the month following the expiry of %(months)s month "
                "after the deposit of the instrument that brings the count of ratifications, acceptances, "
                "approvals and accessions to %(threshold)s.",
                "It enters into force on the first day of the month following the expiry of %(months)s months "
                "after the deposit of the instrument that brings the count of ratifications, acceptances, "
                "approvals and accessions to %(threshold)s.",
                treaty.eif_delay_months,
            )
            % facts
        )
    if kind == RuleKind.GROUP:
        return _(
            "It enters into force %(delay)s after the deposit of the instrument that brings the count of "
            "ratifications, acceptances, approvals and accessions to %(threshold)s, provided at least "
            "%(group_threshold)s of them come from %(group)s."
        ) % {**facts, "group_threshold": treaty.eif_group_threshold, "group": treaty.eif_group_name or _("the group")}
    if kind == RuleKind.WEIGHT:
        return _(
            "It enters into force %(delay)s after the date on which at least %(threshold)s parties, together "
            "holding at least %(percent)s%% of %(weight)s, have deposited their instruments."
        ) % {
            **facts,
            "percent": _percent(treaty.eif_weight_percent),
            "weight": treaty.eif_weight_name or _("the weight"),
        }
    if treaty.eif_delay_months:
        return (
            _(
                "It enters into force %(delay)s after the deposit of the instrument that brings the count of "
                "ratifications, acceptances, approvals and accessions to %(threshold)s."
            )
            % facts
        )
    return ngettext(
        "It enters into force %(days)s day after the deposit of the instrument that brings the count "
        "of ratifications, acceptances, approvals and accessions to %(threshold)s.",
        "It enters into force %(days)s days after the deposit of the instrument that brings the count "
        "of ratifications, acceptances, approvals and accessions to %(threshold)s.",
        treaty.eif_delay_days,
    ) % {"days": treaty.eif_delay_days, "threshold": treaty.eif_threshold}


def _later_party_sentence(treaty: Treaty) -> str:
    if treaty.eif_rule_kind == RuleKind.MONTH_FOLLOWING:
        return _(
            "For a State that deposits later, it enters into force on the first day of the month following the "
            "expiry of %(delay)s after that deposit, or on the general date if that is later."
        ) % {"delay": _delay_words(treaty.later_party_delay_days, treaty.later_party_delay_months)}
    if treaty.later_party_delay_months:
        return _(
            "For a State that deposits later, it enters into force %(delay)s after that deposit, "
            "or on the general date if that is later."
        ) % {"delay": _delay_words(treaty.later_party_delay_days, treaty.later_party_delay_months)}
    return ngettext(
        "For a State that deposits later, it enters into force %(days)s day after that deposit, "
        "or on the general date if that is later.",
        "For a State that deposits later, it enters into force %(days)s days after that deposit, "
        "or on the general date if that is later.",
        treaty.later_party_delay_days,
    ) % {"days": treaty.later_party_delay_days}


def rule_sentences(treaty: Treaty) -> list[str]:
    """The entry-into-force clause as a reader would say it, for every kind of rule."""
    if treaty.eif_date_override:
        return [
            _("Its entry-into-force condition is more than a count of instruments; the date %(date)s was set by staff.")
            % {"date": formats.date_format(treaty.eif_date_override, "DATE_FORMAT")}
        ]
    if treaty.eif_rule_kind == RuleKind.PER_PARTY:
        return [
            _(
                "It has no general entry-into-force date: it enters into force for each party %(delay)s after "
                "that party deposits its own instrument."
            )
            % {"delay": _delay_words(treaty.later_party_delay_days, treaty.later_party_delay_months)}
        ]
    sentences = [_general_sentence(treaty)]
    if not treaty.reio_counts:
        sentences.append(
            _(
                "An instrument deposited by a regional economic integration organization, such as the "
                "European Union, does not count toward the %(threshold)s."
            )
            % {"threshold": treaty.eif_threshold}
        )
    sentences.append(_later_party_sentence(treaty))
    if treaty.eif_rule_kind == RuleKind.WEIGHT and treaty.eif_weights_source:
        sentences.append(_("The shares are those of %(source)s.") % {"source": treaty.eif_weights_source})
    return sentences


def rule_progress(treaty: Treaty, summary) -> list[str]:
    """Where the second condition of a group or weight rule stands (nothing for other kinds)."""
    if treaty.eif_date_override or summary.entry_into_force_on:
        return []
    if treaty.eif_rule_kind == RuleKind.GROUP:
        return [
            _("So far %(counted)s of the %(needed)s needed from %(group)s.")
            % {
                "counted": summary.group_counted,
                "needed": treaty.eif_group_threshold,
                "group": treaty.eif_group_name or _("the group"),
            }
        ]
    if treaty.eif_rule_kind == RuleKind.WEIGHT:
        return [
            _("So far the parties hold %(held)s%% of %(weight)s, of the %(percent)s%% needed.")
            % {
                "held": _percent(summary.weight_held),
                "weight": treaty.eif_weight_name or _("the weight"),
                "percent": _percent(treaty.eif_weight_percent),
            }
        ]
    return []


def count_sentence(counted: int, threshold: int) -> str:
    """'12 of 40 instruments counted'; past the threshold, '41 instruments counted, 40 needed'.

    When the 40th and 41st instruments arrive in one poll, "41 of 40" would read as a mistake.
    """
    if isinstance(counted, int) and isinstance(threshold, int) and counted > threshold:
        return ngettext(
            "%(counted)s instrument counted, %(threshold)s needed",
            "%(counted)s instruments counted, %(threshold)s needed",
            counted,
        ) % {"counted": counted, "threshold": threshold}
    # The plural follows the count: "1 instrument comptabilisé sur 40" in French.
    return ngettext(
        "%(counted)s of %(threshold)s instruments counted",
        "%(counted)s of %(threshold)s instruments counted",
        counted if isinstance(counted, int) else 0,
    ) % {"counted": counted, "threshold": threshold}


def failure_reason(run: PollRun) -> str:
    """Why a poll failed, for the public page: the source's answer, or the check that refused it.

    The technical detail (an HTTP status, a timeout, the check that refused the file) is the
    fetcher's and the validator's own English; a crash inside the tracker is not described.
    """
    if run.outcome == PollOutcome.FAILED_VALIDATION:
        return _("the file was refused (%(detail)s)") % {"detail": run.error}
    if run.error.startswith(("internal error", "abandoned")):
        return _("an error in the tracker; staff have the details")
    if run.http_status:
        return _("the source answered HTTP %(status)s") % {"status": run.http_status}
    return _("the source could not be reached (%(detail)s)") % {"detail": run.error}


def action_kind_label(kind: str) -> str:
    try:
        return str(ActionKind(kind).label)
    except ValueError:
        return kind


def _date(value: str | None) -> str:
    if not value:
        return ""
    return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


def event_title(event: Event) -> str:
    """One line: who did what (the C.N. headline)."""
    name = event.participant.name if event.participant else ""
    data = event.data or {}
    if event.kind in STATEMENT_EVENT_KINDS:
        return statement_wording.statement_sentence(event)
    if event.kind == EventKind.NEW_ACTION:
        return _("%(participant)s: %(kind)s") % {
            "participant": name,
            "kind": action_kind_label(data.get("action_kind", "")),
        }
    if event.kind == EventKind.WITHDRAWAL:
        return _("%(participant)s: %(kind)s withdrawn") % {
            "participant": name,
            "kind": action_kind_label(data.get("action_kind", "")),
        }
    if event.kind == EventKind.THRESHOLD_REACHED:
        return _("Threshold reached: %(count)s") % {
            "count": count_sentence(data.get("counted", ""), data.get("threshold", ""))
        }
    if event.kind == EventKind.ENTERED_INTO_FORCE:
        return _("%(treaty)s entered into force") % {"treaty": event.treaty.display_title}
    if event.kind == EventKind.CORRECTION:
        kind = action_kind_label(event.action.kind) if event.action else ""
        return _("%(participant)s: %(kind)s corrected") % {"participant": name, "kind": kind}
    if event.kind == EventKind.RENAME:
        return _("Renamed: %(old)s is now %(new)s") % {
            "old": data.get("old_name", ""),
            "new": data.get("new_name", name),
        }
    return str(event.get_kind_display())


CORRECTED_FIELDS = {
    "date": _("date"),
    "kind": _("kind of instrument"),
    "withdrawn": _("withdrawal"),
}


def _correction_value(field: str, value) -> str:
    if field == "date":
        return _date(value)
    if field == "kind":
        return action_kind_label(value or "")
    return _("withdrawn") if value else _("not withdrawn")


def correction_details(event: Event) -> str:
    """'Date: 27 November 2026 → 26 November 2026.'"""
    data = event.data or {}
    field = data.get("field", "")
    return _("%(field)s: %(old)s → %(new)s.") % {
        "field": capfirst(str(CORRECTED_FIELDS.get(field, field))),
        "old": _correction_value(field, data.get("old")),
        "new": _correction_value(field, data.get("new")),
    }


def event_details(event: Event) -> str:
    """The facts of the event, and, if its date was corrected since, what it first said."""
    details = _event_facts(event)
    was = ((event.data or {}).get("corrected") or {}).get("was")
    if was:
        details += " " + _("Date corrected (first recorded as %(date)s).") % {"date": _date(was)}
    return details


def _event_facts(event: Event) -> str:
    """The facts of the event in a sentence: date of deposit, counted N of 40, dates to come."""
    data = event.data or {}
    on = formats.date_format(event.occurred_on, "DATE_FORMAT")
    if event.kind in STATEMENT_EVENT_KINDS:
        return statement_wording.statement_facts(event)
    if event.kind == EventKind.NEW_ACTION:
        kind = capfirst(action_kind_label(data.get("action_kind", "")))
        # A signature is not deposited and counts toward nothing: the count is not its news.
        if "counted" not in data or data.get("action_kind") not in INSTRUMENT_VALUES:
            return _("%(kind)s dated %(date)s.") % {"kind": kind, "date": on}
        facts = {"kind": kind, "date": on, "count": count_sentence(data["counted"], data.get("threshold", ""))}
        if data.get("counts_toward_threshold", True):
            return _("%(kind)s deposited on %(date)s; %(count)s.") % facts
        return _("%(kind)s deposited on %(date)s; it does not count toward the threshold (%(count)s).") % facts
    if event.kind == EventKind.WITHDRAWAL:
        return _("Withdrawn on %(date)s.") % {"date": on}
    if event.kind == EventKind.THRESHOLD_REACHED:
        return _("The last instrument needed was deposited on %(date)s; entry into force on %(eif)s.") % {
            "date": on,
            "eif": _date(data.get("entry_into_force")),
        }
    if event.kind == EventKind.ENTERED_INTO_FORCE:
        return _("In force since %(date)s.") % {"date": on}
    if event.kind == EventKind.CORRECTION:
        return correction_details(event)
    return on


def event_effect(event: Event) -> list[str]:
    """What the event did to the count and the dates, for its permanent page."""
    data = event.data or {}
    counted, threshold = data.get("counted"), data.get("threshold")
    sentences = []
    if event.kind == EventKind.NEW_ACTION and data.get("action_kind") in INSTRUMENT_VALUES:
        if data.get("counts_toward_threshold", True) and counted is not None:
            sentences.append(_("It brought the count to %(count)s.") % {"count": count_sentence(counted, threshold)})
        else:
            sentences.append(_("It makes a party, but does not count toward the threshold."))
    elif event.kind == EventKind.NEW_ACTION:
        sentences.append(_("A signature does not count toward the threshold; it makes the participant a signatory."))
    if event.kind in (EventKind.THRESHOLD_REACHED, EventKind.ENTERED_INTO_FORCE) and data.get("entry_into_force"):
        sentences.append(
            _("Entry into force, computed from the rule: %(date)s.") % {"date": _date(data["entry_into_force"])}
        )
    if event.kind == EventKind.WITHDRAWAL:
        sentences.append(_("The withdrawn action no longer counts."))
    if event.kind == EventKind.CORRECTION:
        sentences.append(_("The counts and dates were computed again from the corrected value."))
    if event.kind in STATEMENT_EVENT_KINDS:
        sentences.append(_("A statement changes no count and no date of entry into force."))
    return sentences
