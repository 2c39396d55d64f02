"""Reads of the national steps, beside the UN's record and never inside it.

The UN record's selectors (`selectors.py`) are not changed by any of this: counts, dates and
statuses come from actions only. Here the steps are read (one query per treaty) and laid beside
the participants' rows, the participant's timeline and the status page's "in the pipeline".
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from ratification.collation import name_key
from ratification.models import INSTRUMENT_KINDS, Action, Participant, Stage, StageKind, Treaty
from ratification.pipeline import Pipeline, pipeline_of
from ratification.selectors import ParticipantRow, ParticipantStatus


def treaty_stages(*, treaty: Treaty) -> list[Stage]:
    """Every step of a treaty with its participant, oldest first: one query."""
    return list(Stage.objects.filter(treaty=treaty).select_related("participant").order_by("date", "id"))


def deposit_dates(actions: Iterable[Action]) -> list[datetime.date]:
    """The dates of instruments of consent to be bound that stand (a withdrawn one ends nothing)."""
    return [action.date for action in actions if action.kind in INSTRUMENT_KINDS and not action.withdrawn]


def treaty_pipelines(*, stages: list[Stage], rows: list[ParticipantRow]) -> dict[int, Pipeline]:
    """Each participant with steps: its pipeline, against its deposits in `rows` (no query)."""
    actions = {row.participant_id: row.actions for row in rows}
    by_participant: dict[int, list[Stage]] = {}
    for stage in stages:
        by_participant.setdefault(stage.participant_id, []).append(stage)
    return {
        participant_id: pipeline_of(steps, deposit_dates(actions.get(participant_id, ())))
        for participant_id, steps in by_participant.items()
    }


def rows_with_stages(rows: list[ParticipantRow], pipelines: dict[int, Pipeline]) -> list[ParticipantRow]:
    """The rows, each carrying its steps and its current (pending) one, and a row for each
    participant with reported steps but no UN action yet (status `none`), in name order: a State
    whose parliament approved an accession is news before it signs or deposits anything."""
    empty = Pipeline(steps=(), pending=())
    present = {row.participant_id for row in rows}
    steps_only = [
        _steps_only_row(pipeline.steps[0].participant)
        for participant_id, pipeline in pipelines.items()
        if participant_id not in present and pipeline.steps
    ]
    if steps_only:
        rows = sorted([*rows, *steps_only], key=lambda row: name_key(row.name))
    return [
        dataclasses.replace(
            row,
            stages=pipelines.get(row.participant_id, empty).steps,
            pipeline_step=pipelines.get(row.participant_id, empty).current,
            reports_approval=pipelines.get(row.participant_id, empty).reports_approval,
        )
        for row in rows
    ]


def _steps_only_row(participant: Participant) -> ParticipantRow:
    return ParticipantRow(
        participant_id=participant.pk,
        code=participant.code,
        name=participant.name,
        is_reio=participant.is_reio,
        status=ParticipantStatus.NONE,
        signature=None,
        instrument=None,
        entry_into_force_on=None,
        footnotes=(),
    )


@dataclass(frozen=True)
class PipelineSummary:
    """What the status page says of the steps: who reports parliamentary approval and has not deposited."""

    in_pipeline: int  # participants with a step no deposit has followed
    reporting_approval: tuple[Participant, ...]  # of those, the ones whose steps include approval
    would_count: int  # of those, how many would count toward the threshold once deposited

    @property
    def approval_count(self) -> int:
        return len(self.reporting_approval)


def pipeline_summary(*, treaty: Treaty, pipelines: dict[int, Pipeline], rows: list[ParticipantRow]) -> PipelineSummary:
    status = {row.participant_id: row.status for row in rows}
    approving = [
        pipeline.current.participant
        for pipeline in pipelines.values()
        if pipeline.current is not None and pipeline.reports_approval
    ]
    approving.sort(key=lambda participant: name_key(participant.name))
    would_count = sum(
        1
        for participant in approving
        # Already counted (a step reported after its deposit) or an organisation the rule
        # leaves out: its deposit would not move the count.
        if status.get(participant.pk) not in (ParticipantStatus.COUNTED, ParticipantStatus.PARTY)
        and (treaty.reio_counts or not participant.is_reio)
    )
    return PipelineSummary(
        in_pipeline=sum(1 for pipeline in pipelines.values() if pipeline.current is not None),
        reporting_approval=tuple(approving),
        would_count=would_count,
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a participant's timeline: a UN action or a reported step, never both."""

    date: datetime.date
    action: Action | None = None
    stage: Stage | None = None
    pending: bool = False  # a step no deposit has followed yet

    @property
    def is_stage(self) -> bool:
        return self.stage is not None


def participant_timeline(*, actions: Iterable[Action], pipeline: Pipeline | None) -> list[TimelineEntry]:
    """UN actions and reported steps in date order (a UN action first on the same day)."""
    entries = [TimelineEntry(date=action.date, action=action) for action in actions]
    if pipeline is not None:
        pending = {id(stage) for stage in pipeline.pending}
        entries += [TimelineEntry(date=s.date, stage=s, pending=id(s) in pending) for s in pipeline.steps]
    return sorted(entries, key=lambda entry: (entry.date, entry.is_stage))


STAGE_FILTERS = ("pipeline", "approval", *(kind.value for kind in StageKind))
