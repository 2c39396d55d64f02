"""Staff start following a treaty, and change how often it is polled."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ratification.models import CODE_VALIDATOR, MTDSG_VALIDATOR, RuleBasis, RuleKind, Treaty
from ratification.schedule import treaty_schedule_ensure
from ratification.services.rule_checks import eif_disagreement_check
from ratification.services.writes import reason_required
from scrapers.fetch import FetchError, xml_url
from scrapers.mtdsg import chapter_of, mtdsg_normalise, treaty_xml_path


def mtdsg_check(mtdsg: str, chapter: str = "") -> tuple[str, str]:
    """The MTDSG number and its chapter, checked; raises ValidationError with a clear message."""
    # UNTC writes chapters and chapter XI's parts in capitals, the rest in lower case: XXVII-7-d,
    # XI-B-19, III-2-12b (scrapers/mtdsg.py, the one grammar).
    given = (mtdsg or "").strip()
    mtdsg = mtdsg_normalise(given) or given
    try:
        MTDSG_VALIDATOR(mtdsg)
    except ValidationError as error:
        raise ValidationError({"mtdsg": error.messages}) from None
    derived = chapter_of(mtdsg)
    chapter = (chapter or "").strip().upper() or derived
    if chapter != derived:
        raise ValidationError(
            {
                "chapter": _("%(mtdsg)s is in chapter %(derived)s, not %(chapter)s.")
                % {"mtdsg": mtdsg, "derived": derived, "chapter": chapter}
            }
        )
    if Treaty.objects.filter(mtdsg=mtdsg).exists():
        raise ValidationError({"mtdsg": _("%(mtdsg)s is already followed.") % {"mtdsg": mtdsg}})
    return mtdsg, chapter


def xml_path_check(xml_path: str) -> str:
    """Staff give a path under UNTC_BASE_URL, never a URL: the tracker fetches from one place only."""
    xml_path = (xml_path or "").strip().lstrip("/")
    try:
        xml_url(settings.UNTC_BASE_URL, xml_path)
    except FetchError as error:
        raise ValidationError({"xml_path": str(error)}) from None
    if not xml_path.endswith(".xml"):
        raise ValidationError({"xml_path": _("The status file's path ends in .en.xml (or .fr.xml).")})
    return xml_path


@transaction.atomic
def treaty_create(
    *, mtdsg: str, user, chapter: str = "", xml_path: str = "", reason: str = "followed by staff", **fields
) -> Treaty:
    """Follow a new treaty: its rule fields, its status file's path and its poll schedule.

    The title and conclusion are left for the first poll to fill in from the file's header
    (which is a baseline: recorded, not announced).
    """
    mtdsg, chapter = mtdsg_check(mtdsg, chapter)
    xml_path = xml_path_check(xml_path or treaty_xml_path(mtdsg=mtdsg))
    treaty = Treaty(mtdsg=mtdsg, chapter=chapter, xml_path=xml_path, **fields)
    rule_check(treaty)
    treaty._history_user, treaty._change_reason = user, reason
    treaty.save()
    treaty_schedule_ensure(treaty=treaty)
    return treaty


@transaction.atomic
def treaty_schedule_update(*, treaty: Treaty, every_hours: int | None, enabled: bool) -> PeriodicTask:
    """Poll every `every_hours` hours (None: keep the current schedule), or not at all.

    The beat entry and `Treaty.poll_enabled` are kept in agreement.
    """
    if every_hours is not None and every_hours < 1:
        raise ValidationError({"poll_every_hours": _("Poll at most once an hour.")})
    task = treaty_schedule_ensure(treaty=treaty)
    changed = task.enabled != enabled
    task.enabled = enabled
    if every_hours is not None:
        interval, _created = IntervalSchedule.objects.get_or_create(every=every_hours, period=IntervalSchedule.HOURS)
        if task.interval_id != interval.pk:
            # A beat entry has exactly one kind of schedule: an interval replaces a crontab.
            task.interval, task.crontab, task.solar, task.clocked = interval, None, None, None
            changed = True
    if changed:
        task.save()  # django-celery-beat notices the change and reloads its schedule
    if treaty.poll_enabled != enabled:
        treaty.poll_enabled = enabled
        treaty.save(update_fields=["poll_enabled", "updated_at"])
    return task


# The entry-into-force rule and what the treaty provides for, as staff edit them.
RULE_FIELDS = (
    "rule_basis",
    "eif_rule_kind",
    "eif_threshold",
    "eif_delay_days",
    "eif_delay_months",
    "reio_counts",
    "later_party_delay_days",
    "later_party_delay_months",
    "eif_group_name",
    "eif_group_codes",
    "eif_group_threshold",
    "eif_weight_name",
    "eif_weight_percent",
    "eif_weights",
    "eif_weights_source",
    "eif_date_override",
    "signature_deadline",
    "action_kinds",
)
MAX_WEIGHT_ROWS = 400


def weights_from_csv(text: str) -> dict[str, float]:
    """A weights table as staff upload it: one `code,share` line per participant (share in
    percent, e.g. `CHN,20.09`), an optional header line. Raises ValidationError naming the line."""
    weights: dict[str, float] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) < 2:
            raise ValidationError(_("Line %(line)s: expected a code and a share.") % {"line": number})
        code, share = cells[0].upper(), cells[1].rstrip("%").strip()
        try:
            value = float(share)
        except ValueError:
            if number == 1:
                continue  # a header line ("code,share")
            raise ValidationError(
                _("Line %(line)s: %(share)s is not a number.") % {"line": number, "share": share}
            ) from None
        try:
            CODE_VALIDATOR(code)
        except ValidationError:
            raise ValidationError(
                _("Line %(line)s: %(code)s is not a code.") % {"line": number, "code": code}
            ) from None
        if not 0 <= value <= 100:
            raise ValidationError(_("Line %(line)s: a share is between 0 and 100.") % {"line": number})
        weights[code] = value
        if len(weights) > MAX_WEIGHT_ROWS:
            raise ValidationError(_("More than %(rows)s lines.") % {"rows": MAX_WEIGHT_ROWS})
    if not weights:
        raise ValidationError(_("The file has no line with a code and a share."))
    return weights


# The fields that say what the rule is: staff setting any of them with a reason confirm the rule.
RULE_DEFINING_FIELDS = frozenset(RULE_FIELDS) - {
    "rule_basis",
    "eif_date_override",
    "signature_deadline",
    "action_kinds",
}


def rule_problems(treaty: Treaty) -> list[tuple[str, str]]:
    """What a known rule lacks, as (field, message): a rule stated on the pages must be whole."""
    if not treaty.rule_basis:
        return []
    problems = []
    if treaty.eif_rule_kind == RuleKind.PER_PARTY:
        if treaty.later_party_delay_days is None:
            problems.append(
                ("later_party_delay_days", _("A rule per party needs the days after each party's deposit."))
            )
        return problems
    if not treaty.eif_threshold:
        problems.append(("eif_threshold", _("A known rule needs the number of instruments.")))
    if treaty.eif_rule_kind != RuleKind.MONTH_FOLLOWING and treaty.eif_delay_days is None:
        problems.append(("eif_delay_days", _("A known rule needs its delay in days (0 if it is in months only).")))
    if treaty.reio_counts is None:
        problems.append(("reio_counts", _("Say whether a regional organisation's instrument counts.")))
    return problems


def rule_check(treaty: Treaty) -> None:
    problems = rule_problems(treaty)
    if problems:
        raise ValidationError({field: message for field, message in problems})


# Changing these changes what the public pages say (titles, dates, the entry-into-force rule).
PUBLIC_FIELDS = frozenset({"title", "short_title", "conclusion_place", "conclusion_date", *RULE_FIELDS}) - {
    "action_kinds"
}


@transaction.atomic
def treaty_update(*, treaty: Treaty, user, reason: str, changed: list[str], every_hours: int | None) -> Treaty:
    """Save staff's edit of a treaty (values already set on it) with its reason, and its schedule."""
    reason = reason_required(reason)
    if RULE_DEFINING_FIELDS.intersection(changed) and "rule_basis" not in changed:
        # Staff changing the rule with a reason is staff confirming it (they may say it is not known).
        treaty.rule_basis = RuleBasis.CONFIRMED
    rule_check(treaty)
    if PUBLIC_FIELDS.intersection(changed):
        treaty.last_change_at = timezone.now()
    treaty._history_user, treaty._change_reason = user, reason
    treaty.save()
    treaty_schedule_update(treaty=treaty, every_hours=every_hours, enabled=treaty.poll_enabled)
    eif_disagreement_check(treaty=treaty)
    return treaty


@transaction.atomic
def treaty_delete(*, treaty: Treaty, user) -> None:
    """Stop following a treaty added by mistake, with its schedule. One with actions is kept
    (the database refuses too): disable its polling instead."""
    if treaty.actions.exists():
        raise ValidationError(_("%(mtdsg)s has actions: disable its polling instead.") % {"mtdsg": treaty.mtdsg})
    schedule = treaty.poll_task
    treaty._history_user, treaty._change_reason = user, "deleted by staff in the admin"
    treaty.delete()
    if schedule is not None:
        schedule.delete()
