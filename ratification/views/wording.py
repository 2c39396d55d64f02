"""Sentences the pages and the feed share: the rule in plain words, what an event means, where UNTC shows it."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratification import rule_selectors
from ratification.models import (
    INSTRUMENT_KINDS,
    SIGNATURE_KINDS,
    STATEMENT_EVENT_KINDS,
    ActionKind,
    Event,
    EventKind,
    PollOutcome,
    PollRun,
)
from ratification.views import statement_wording

INSTRUMENT_VALUES = {str(kind) for kind in INSTRUMENT_KINDS}
SIGNATURE_VALUES = {str(kind) for kind in SIGNATURE_KINDS}


def count_sentence(counted: int, threshold: int) -> str:
    """'12 of 40 instruments counted'; past the threshold, '41 instruments counted, 40 needed'.

    When the 40th and 41st instruments arrive in one poll, "41 of 40" would read as a mistake.
    Callers say it only when a rule is known (a threshold to count toward).
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
        if data["counted"] is None or data.get("threshold") is None:  # no known rule: nothing is counted
            return _("%(kind)s deposited on %(date)s.") % {"kind": kind, "date": on}
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
    known = threshold is not None  # recorded under a known rule (else nothing was counted)
    kind = data.get("action_kind") or (event.action.kind if event.action_id else "")
    makes_party = kind in INSTRUMENT_VALUES or kind in (event.treaty.party_kinds or ())
    if event.kind == EventKind.NEW_ACTION and makes_party:
        if not known or kind not in INSTRUMENT_VALUES:
            sentences.append(_("It makes the participant a party."))
        elif data.get("counts_toward_threshold", True) and counted is not None:
            sentences.append(_("It brought the count to %(count)s.") % {"count": count_sentence(counted, threshold)})
        else:
            sentences.append(_("It makes a party, but does not count toward the threshold."))
    elif event.kind == EventKind.NEW_ACTION and kind in SIGNATURE_VALUES:
        if known:
            sentences.append(
                _("A signature does not count toward the threshold; it makes the participant a signatory.")
            )
        else:
            sentences.append(_("It makes the participant a signatory."))
    elif event.kind == EventKind.NEW_ACTION:
        # A provisional application, an extension, a notification: recorded, and counted nowhere.
        sentences.append(_("It makes the participant neither a signatory nor a party, and counts toward nothing."))
    if event.kind in (EventKind.THRESHOLD_REACHED, EventKind.ENTERED_INTO_FORCE) and data.get("entry_into_force"):
        declared = data.get("entry_into_force_source") == "untc"
        sentence = (
            _("Entry into force, as the UN Treaty Collection declares: %(date)s.")
            if declared
            else _("Entry into force, computed from the rule: %(date)s.")
        )
        sentences.append(sentence % {"date": _date(data["entry_into_force"])})
    if event.kind == EventKind.WITHDRAWAL:
        sentences.append(_("The withdrawn action no longer counts."))
    if event.kind == EventKind.CORRECTION:
        sentences.append(_("The counts and dates were computed again from the corrected value."))
    if event.kind in STATEMENT_EVENT_KINDS:
        # No count to speak of where no rule is known: only UNTC's dates stand.
        if rule_selectors.rule_known(treaty=event.treaty):
            sentences.append(_("A statement changes no count and no date of entry into force."))
        else:
            sentences.append(_("A statement changes no date of entry into force."))
    return sentences
