"""What the record says about an event: its headline and facts, what it did to the count, who
did what ("Ghana ratified the ..."), the count toward the threshold; and why a poll failed."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
    StageKind,
    Treaty,
)
from ratification.wording import statements as statement_wording

INSTRUMENT_VALUES = {str(kind) for kind in INSTRUMENT_KINDS}
SIGNATURE_VALUES = {str(kind) for kind in SIGNATURE_KINDS}

# Full sentences per kind, so translators see the whole phrase (word order differs by language).
DID_SENTENCES = {
    ActionKind.RATIFICATION: gettext_lazy("%(participant)s ratified the %(treaty)s"),
    ActionKind.ACCEPTANCE: gettext_lazy("%(participant)s accepted the %(treaty)s"),
    ActionKind.APPROVAL: gettext_lazy("%(participant)s approved the %(treaty)s"),
    ActionKind.ACCESSION: gettext_lazy("%(participant)s acceded to the %(treaty)s"),
    ActionKind.SUCCESSION: gettext_lazy("%(participant)s succeeded to the %(treaty)s"),
    ActionKind.DEFINITIVE_SIGNATURE: gettext_lazy("%(participant)s signed the %(treaty)s definitively"),
    ActionKind.FORMAL_CONFIRMATION: gettext_lazy("%(participant)s formally confirmed the %(treaty)s"),
    ActionKind.PARTICIPATION: gettext_lazy("%(participant)s became a participant in the %(treaty)s"),
    ActionKind.SIGNATURE: gettext_lazy("%(participant)s signed the %(treaty)s"),
    ActionKind.SUCCESSION_TO_SIGNATURE: gettext_lazy("%(participant)s succeeded to the signature of the %(treaty)s"),
    ActionKind.PROVISIONAL_APPLICATION: gettext_lazy("%(participant)s applies the %(treaty)s provisionally"),
    ActionKind.CONSENT_TO_BE_BOUND: gettext_lazy("%(participant)s consented to be bound by the %(treaty)s"),
    ActionKind.SIGNATURE_AD_REFERENDUM: gettext_lazy("%(participant)s signed the %(treaty)s ad referendum"),
    ActionKind.CONFIRMATION_OF_SIGNATURE: gettext_lazy("%(participant)s confirmed its signature of the %(treaty)s"),
    ActionKind.PROVISIONAL_ACCEPTANCE: gettext_lazy("%(participant)s accepted the %(treaty)s provisionally"),
    ActionKind.APPLICATION: gettext_lazy("%(participant)s notified the application of the %(treaty)s"),
    ActionKind.EXTENSION: gettext_lazy("%(participant)s extended the %(treaty)s to a territory"),
    ActionKind.NOTIFICATION: gettext_lazy("%(participant)s made a notification under the %(treaty)s"),
}

# Reported national steps: a report, worded as one, never as a deposit.
REPORTED_SENTENCES = {
    StageKind.SUBMITTED: gettext_lazy("%(participant)s: the %(treaty)s was submitted to parliament"),
    StageKind.APPROVED: gettext_lazy("%(participant)s: parliament approved the %(treaty)s"),
    StageKind.SIGNED_INTO_LAW: gettext_lazy("%(participant)s: the law approving the %(treaty)s was signed"),
    StageKind.DEPOSIT_ANNOUNCED: gettext_lazy("%(participant)s announced it will deposit its instrument"),
}


def count_sentence(counted: int, threshold: int) -> str:
    """'12 of 40 instruments counted'; past the threshold, '41 instruments counted, 40 needed': the
    count as the pages, the embeds and the exports say it on its own.

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


def count_phrase(counted: int | None, threshold: int | None) -> str:
    """'12 of 40', or, once the threshold is passed, '45 instruments': the count inside an alert's
    sentence ("3 new instruments for the ...: 12 of 40"); "" when nothing is counted toward a rule."""
    if counted is None or not threshold:
        return ""
    if counted > threshold:
        return ngettext("%(counted)d instrument", "%(counted)d instruments", counted) % {"counted": counted}
    return _("%(counted)d of %(threshold)d") % {"counted": counted, "threshold": threshold}


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


def long_date(value: datetime.date | str | None) -> str:
    """A date as the pages write it in the active language (its DATE_FORMAT: "16. listopadu 2026")."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def event_action_kind(event: Event) -> str:
    """The kind of action the event is about ("ratification"), as recorded with it ("" if none)."""
    return (event.data or {}).get("action_kind") or (event.action.kind if event.action_id else "")


def participant_name(event: Event) -> str:
    return event.participant.name if event.participant_id else _("A participant")


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


def did_sentence(event: Event, treaty: Treaty) -> str:
    """'Ghana ratified the UN Convention against Cybercrime'."""
    names = {"participant": participant_name(event), "treaty": treaty.display_title}
    if event.kind == EventKind.STAGE_REPORTED:
        return reported_sentence(event, treaty)
    if event.kind in STATEMENT_EVENT_KINDS:
        return statement_wording.statement_sentence(event)
    if event.kind == EventKind.WITHDRAWAL:
        kind = event_action_kind(event)
        label = ActionKind(kind).label if kind in ActionKind.values else _("action")
        return _("%(participant)s withdrew its %(kind)s of the %(treaty)s") % {**names, "kind": label}
    sentence = DID_SENTENCES.get(event_action_kind(event))
    if sentence is None:
        return _("%(participant)s acted on the %(treaty)s") % names
    return str(sentence) % names


def reported_sentence(event: Event, treaty: Treaty) -> str:
    """'Reported: Austria: parliament approved the UN Convention against Cybercrime'."""
    data = event.data or {}
    names = {"participant": participant_name(event), "treaty": treaty.display_title}
    sentence = REPORTED_SENTENCES.get(data.get("stage_kind"))
    if sentence is None:
        text = _("%(participant)s: %(step)s (toward the %(treaty)s)") % {**names, "step": data.get("stage_label", "")}
    else:
        text = str(sentence) % names
    return _("Reported: %(text)s") % {"text": text}


def reported_detail(event: Event) -> str:
    data = event.data or {}
    return _("Reported by %(source)s, not yet deposited with the UN: %(url)s") % {
        "source": data.get("source_host", ""),
        "url": data.get("source_url", ""),
    }


CORRECTED_FIELDS = {
    "date": _("date"),
    "kind": _("kind of instrument"),
    "withdrawn": _("withdrawal"),
}


def _correction_value(field: str, value) -> str:
    if field == "date":
        return long_date(value)
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
        details += " " + _("Date corrected (first recorded as %(date)s).") % {"date": long_date(was)}
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
            "eif": long_date(data.get("entry_into_force")),
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
    kind = event_action_kind(event)
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
        sentences.append(sentence % {"date": long_date(data["entry_into_force"])})
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
