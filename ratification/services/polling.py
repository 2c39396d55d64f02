"""`poll_treaty`: read one treaty's UNTC status file and record what changed.

An error is never a change (changedetection.io #962: a non-200 reply reset its checksum and
raised false alerts). Every failure path below writes the `PollRun` and the failure counter,
and nothing else: no actions, no events, no new content hash.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ratification.models import Action, PollOutcome, PollRun, SourceSnapshot, Treaty
from ratification.services import staff_alerts
from ratification.services.reconcile import ReconcileResult, status_reconcile
from scrapers.fetch import FetchError, FetchResult, fetch, xml_url
from scrapers.mtdsg import same_number
from scrapers.untc import ParseError, TreatyStatus, parse_status

logger = logging.getLogger(__name__)

# A file listing fewer than this share of the participants already stored is refused: UNTC
# serving a cut or partial table must not read as "everyone left".
MIN_PARTICIPANT_RATIO = 0.8


@dataclass(frozen=True)
class PollReport:
    """What a poll did, for the command line and the admin."""

    run: PollRun
    reconcile: ReconcileResult | None = None


def treaty_source_url(treaty: Treaty) -> str:
    return xml_url(settings.UNTC_BASE_URL, treaty.xml_path)


def _fetch(treaty: Treaty) -> FetchResult:
    # A treaty whose statements were never read asks for the whole file, to read them once.
    known = treaty.statements_read
    return fetch(
        treaty_source_url(treaty),
        base_url=settings.UNTC_BASE_URL,
        etag=(treaty.source_etag or None) if known else None,
        last_modified=(treaty.source_last_modified or None) if known else None,
        total_timeout=settings.POLL_FETCH_TIMEOUT,
        backoff=settings.POLL_FETCH_BACKOFF,
    )


def status_file_fetch(*, treaty: Treaty) -> FetchResult:
    """Fetch the treaty's status file as a poll does (same URL, limits and retries), for a caller
    that reads it before polling it with `poll_treaty(content=...)` (the `track` command)."""
    return _fetch(treaty)


def status_validate(*, treaty: Treaty, status: TreatyStatus) -> str | None:
    """Why a parsed file must not be applied to this treaty, or None if it may."""
    if not same_number(treaty.mtdsg, status.header.mtdsg):
        return f"the file is the status of {status.header.mtdsg}, not of {treaty.mtdsg}"
    stored = Action.objects.filter(treaty=treaty).values("participant").distinct().count()
    listed = len(status.participants)
    if stored and listed < MIN_PARTICIPANT_RATIO * stored:
        return (
            f"the file lists {listed} participants but {stored} are stored (under "
            f"{MIN_PARTICIPANT_RATIO:.0%}): refusing a file that looks cut short"
        )
    return None


def _start(treaty: Treaty, slot) -> PollRun | None:
    """Insert the running PollRun: the database's unique constraints make it the poll lock
    (one running poll per treaty) and the slot guard (one run per scheduled slot)."""
    now = timezone.now()
    for _ in range(2):
        try:
            with _savepoint_if_nested():
                return PollRun.objects.create(treaty=treaty, slot=slot, started_at=now)
        except IntegrityError:
            if slot is not None and PollRun.objects.filter(treaty=treaty, slot=slot).exists():
                return None
            # A worker killed mid-poll leaves its run "running" for ever; free the lock once
            # it is clearly abandoned (older than any poll can take), then try once more.
            stale_before = now - settings.POLL_STALE_AFTER
            freed = PollRun.objects.filter(treaty=treaty, outcome=PollOutcome.RUNNING, started_at__lt=stale_before)
            if not freed.update(outcome=PollOutcome.FAILED, finished_at=now, error="abandoned: its worker stopped"):
                return None
    return None


def _savepoint_if_nested():
    """A savepoint only when a caller's transaction is open: there, a failed INSERT must not
    poison the outer transaction. In autocommit (a worker) the INSERT stands alone, and the
    unchanged poll stays at three queries."""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()


def _snapshot(content: bytes, digest: str) -> SourceSnapshot:
    snapshot, _ = SourceSnapshot.objects.get_or_create(
        sha256=digest, defaults={"size": len(content), "compressed": gzip.compress(content)}
    )
    return snapshot


def _finish(run: PollRun, outcome: str, **fields) -> PollRun:
    run.outcome, run.finished_at = outcome, timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()
    return run


def _recovered(treaty: Treaty) -> None:
    """After a good read: reset the failure count, and end an alerted incident once."""
    if not (treaty.consecutive_failures or treaty.failure_alerted_at):
        return
    Treaty.objects.filter(pk=treaty.pk).update(consecutive_failures=0)  # the pages say when reads fail
    # The claim and the owed notice commit together: a crash between them loses neither.
    with transaction.atomic():
        if Treaty.objects.filter(pk=treaty.pk, failure_alerted_at__isnull=False).update(failure_alerted_at=None):
            staff_alerts.source_recovered(treaty=treaty)


def _failed(treaty: Treaty, run: PollRun, outcome: str, error: str, **fields) -> PollRun:
    _finish(run, outcome, error=error[:5000], **fields)
    Treaty.objects.filter(pk=treaty.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    treaty.refresh_from_db(fields=["consecutive_failures", "failure_alerted_at"])
    if treaty.consecutive_failures >= settings.POLL_FAILURE_ALERT_AFTER:
        # One alert per incident: only the run that sets failure_alerted_at owes it, in the
        # same transaction as the claim (a crash between them would silence the incident).
        with transaction.atomic():
            claimed = Treaty.objects.filter(pk=treaty.pk, failure_alerted_at__isnull=True).update(
                failure_alerted_at=timezone.now()
            )
            if claimed:
                staff_alerts.source_failing(treaty=treaty, run=run)
    return run


def _unchanged(treaty: Treaty, run: PollRun, outcome: str, fetched: FetchResult | None) -> PollRun:
    _finish(run, outcome, **_validators(fetched))
    # Nothing new (the finished run is the pages' "last checked"), but the source's validators
    # are kept for the next conditional GET: an unchanged poll costs four queries in all.
    if fetched:
        Treaty.objects.filter(pk=treaty.pk).update(
            source_etag=fetched.etag or "", source_last_modified=fetched.last_modified or ""
        )
    _recovered(treaty)
    return run


def _validators(fetched: FetchResult | None) -> dict:
    if fetched is None:
        return {}
    return {"http_status": fetched.status, "etag": fetched.etag or "", "last_modified": fetched.last_modified or ""}


def _apply(
    treaty: Treaty, run: PollRun, content: bytes, digest: str, fetched: FetchResult | None, parsed=None
) -> PollReport:
    try:
        status = parsed if parsed is not None else parse_status(content)
    except ParseError as error:
        return PollReport(
            _failed(treaty, run, PollOutcome.FAILED_VALIDATION, str(error), snapshot=_snapshot(content, digest))
        )
    problem = status_validate(treaty=treaty, status=status)
    if problem:
        return PollReport(
            _failed(treaty, run, PollOutcome.FAILED_VALIDATION, problem, snapshot=_snapshot(content, digest))
        )
    with transaction.atomic():
        result = status_reconcile(treaty=treaty, status=status, poll_run=run)
        _finish(
            run,
            _outcome(result),
            snapshot=_snapshot(content, digest),
            signatories=status.counted_signatories,
            parties=status.counted_parties,
            participants_seen=len(status.participants),
            new_actions=len(result.created),
            corrections=len(result.corrected),
            summary=_summary(result),
            **_validators(fetched),
        )
        Treaty.objects.filter(pk=treaty.pk).update(
            source_hash=digest,
            source_etag=(fetched.etag or "") if fetched else "",
            source_last_modified=(fetched.last_modified or "") if fetched else "",
        )
    _recovered(treaty)
    return PollReport(run, result)


def _outcome(result: ReconcileResult) -> str:
    """Changed; or, with nothing published, raised something for staff (never "unchanged",
    which would hide a held surprise); or unchanged."""
    if result.changed:
        return PollOutcome.CHANGED
    return PollOutcome.NEEDS_REVIEW if result.review_items else PollOutcome.UNCHANGED


def _summary(result: ReconcileResult) -> dict:
    return {
        "held": [item.description for item in result.held],
        "new": [f"{a.participant.name}: {a.kind} {a.date.isoformat()}" for a in result.created],
        "corrected": [f"{a.participant.name}: {a.kind} {a.date.isoformat()}" for a in result.corrected],
        "renamed": [f"{old} -> {new}" for old, new in result.renamed],
        "events": [event.kind for event in result.events],
        "statements_written": result.statements,
        "review_items": [item.description for item in result.review_items],
        "seed_rows_confirmed": result.confirmed,
        "public_view": result.public_view,
    }


def poll_start(*, treaty: Treaty) -> PollRun | None:
    """Start a poll for a worker to carry out ("Poll now" in the admin, which must not wait
    minutes for a slow source): its `PollRun` is created running (the poll lock); the caller
    publishes the task once the transaction commits (`ratification.tasks.poll_treaty_enqueue`).
    None when another poll of the treaty is running."""
    return _start(treaty, None)


def poll_unqueued(*, run: PollRun, error: Exception) -> None:
    """The broker did not take a started poll: say so on the run rather than leave it "running"."""
    logger.error("poll run %s could not be queued: %r", run.pk, error)
    _finish(run, PollOutcome.FAILED, error=f"the poll could not be queued for a worker: {error!r}"[:5000])


def poll_treaty(
    *,
    treaty: Treaty,
    slot=None,
    content: bytes | None = None,
    run: PollRun | None = None,
    parsed: TreatyStatus | None = None,
) -> PollReport:
    """Read `treaty`'s status file (or `content`, bytes of a file given by hand) and record it.

    `parsed` is `content` already parsed by the caller (`track` reads the file's clause first):
    the same bytes are not parsed twice. `run` is a poll started by `poll_start`; without one,
    a run is started here. Returns a
    report whose run is unsaved and "skipped" when another poll of this treaty is running or this
    slot was already polled (or `run` was given up as abandoned meanwhile).
    """
    if run is None:
        run = _start(treaty, slot)
    elif run.outcome != PollOutcome.RUNNING:
        run = None
    if run is None:
        now = timezone.now()
        report = PollReport(
            PollRun(treaty=treaty, slot=slot, started_at=now, finished_at=now, outcome=PollOutcome.SKIPPED)
        )
    else:
        try:
            report = _poll(treaty, run, content, parsed)
        except Exception as error:
            # Whatever happened, the run must not stay "running" (it is the lock) and the
            # worker must live on to poll again.
            logger.exception("poll %s crashed", treaty.mtdsg)
            report = PollReport(_failed(treaty, run, PollOutcome.FAILED, f"internal error: {error!r}"))
    _log(report)
    return report


def _log(report: PollReport) -> None:
    """One structured line per poll, whatever its outcome."""
    run = report.run
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
    failed = run.outcome in (PollOutcome.FAILED, PollOutcome.FAILED_VALIDATION)
    # The reason is in the message itself: a plain-text log showed only "failed".
    message = ("poll %s %s: %s", run.treaty.mtdsg, run.outcome, run.error)
    logger.log(
        logging.WARNING if failed else logging.INFO,
        *(message if run.error else ("poll %s %s", run.treaty.mtdsg, run.outcome)),
        extra={
            "event": "poll",
            "treaty": run.treaty.mtdsg,
            "poll_run": run.pk,
            "outcome": run.outcome,
            "http_status": run.http_status,
            "bytes": run.bytes_received,
            "new_actions": run.new_actions,
            "corrections": run.corrections,
            "events": len(report.reconcile.events) if report.reconcile else 0,
            "duration_seconds": round(duration, 3) if duration is not None else None,
            "error": run.error or None,
        },
    )


def _poll(treaty: Treaty, run: PollRun, content: bytes | None, parsed: TreatyStatus | None = None) -> PollReport:
    fetched = None
    if content is None:
        # Kept on the run: the public source page says where each archived file came from.
        run.source_url = treaty_source_url(treaty)[:500]
        try:
            fetched = _fetch(treaty)
        except FetchError as error:
            return PollReport(
                _failed(treaty, run, PollOutcome.FAILED, str(error), http_status=getattr(error, "status", None))
            )
        if fetched.not_modified:
            return PollReport(_unchanged(treaty, run, PollOutcome.NOT_MODIFIED, fetched))
        content = fetched.content or b""
    digest = hashlib.sha256(content).hexdigest()
    run.bytes_received, run.content_hash = len(content), digest
    if digest == treaty.source_hash and treaty.statements_read:
        return PollReport(_unchanged(treaty, run, PollOutcome.UNCHANGED, fetched))
    return _apply(treaty, run, content, digest, fetched, parsed if content is not None else None)
