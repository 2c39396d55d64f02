"""National steps in bulk: a CSV file in, the same format out.

Columns: `participant` (ISO 3166 alpha-3 code), `date` (YYYY-MM-DD), `stage` (submitted,
approved, signed_into_law, deposit_announced, their English names such as "approved by
parliament", or a label of the file's own), `source_url` (http or https) and `note` (optional).

A file is all or nothing: every row is checked first, and one bad row refuses the whole file,
with each bad row's line number and reason; a good file is written in one transaction. Rows
already recorded (same participant, step and date) are left as they are, so a file can be
imported again after an edit.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ratification.models import Participant, Stage, StageKind, Treaty
from ratification.services.participants import known_participants, participants_resolve
from ratification.services.stages import stage_check, stages_save
from ratification.services.writes import lock_treaty, reason_required
from ratification.spreadsheet_cells import formula_guard, formula_unguard

COLUMNS = ("participant", "date", "stage", "source_url", "note")
REQUIRED_COLUMNS = ("participant", "date", "stage", "source_url")
MAX_ROWS = 10_000
# 10,000 rows of a few hundred bytes: a file 20 times that is no list of steps (54 MB was taken).
MAX_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """Why one line of the file was refused (line 1 is the header)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}


class StageFileRefused(Exception):
    """The file has bad rows: nothing of it was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


@dataclass
class ImportResult:
    created: list[Stage] = field(default_factory=list)
    unchanged: int = 0


def _stage_kinds() -> dict[str, str]:
    """Every way a file may name a standard step, lower-cased: its code, its English name, and its
    name in the language of whoever uploads it (a file is read the same whatever that is)."""
    standard = [kind for kind in StageKind if kind != StageKind.OTHER]
    names = {str(kind.label).lower(): kind.value for kind in standard}
    with translation.override("en"):
        names.update({str(kind.label).lower(): kind.value for kind in standard})
    names.update({kind.value.replace("_", " "): kind.value for kind in standard})
    names.update({kind.value: kind.value for kind in standard})
    return names


def _participants_by_code(codes: set[str]) -> dict[str, Participant]:
    """Stored participants, and those the shipped table knows (created, as a poll would)."""
    found = {p.code: p for p in Participant.objects.filter(code__in=codes)}
    known = {entry.code: entry for entry in known_participants().values()}
    for code in codes - found.keys():
        if code in known:
            found[code] = Participant(code=code, name=known[code].name, is_reio=known[code].is_reio)
    return found


def size_refusal(size: int) -> str:
    """Why a file of `size` bytes is refused before it is read, or ''."""
    if size <= MAX_FILE_BYTES:
        return ""
    return _("the file has %(size)s bytes; a file of national steps has at most %(max)s") % {
        "size": f"{size:,}",
        "max": f"{MAX_FILE_BYTES:,}",
    }


def _read(data: bytes | str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    too_big = size_refusal(len(data.encode() if isinstance(data, str) else data))
    if too_big:
        raise StageFileRefused([RowError(0, too_big)])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise StageFileRefused(
                [RowError(0, _("the file is not UTF-8 text (%(error)s)") % {"error": error})]
            ) from None
    reader = csv.DictReader(io.StringIO(data.removeprefix("\ufeff"), newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise StageFileRefused(
            [RowError(1, _("the header lacks the columns %(columns)s") % {"columns": ", ".join(missing)})]
        )
    reader.fieldnames = header
    rows = []
    try:
        for values in reader:
            rows.append(
                (reader.line_num, {name: formula_unguard((values.get(name) or "").strip()) for name in COLUMNS})
            )
            if len(rows) > MAX_ROWS:
                raise StageFileRefused([RowError(reader.line_num, _("more than %(max)d rows") % {"max": MAX_ROWS})])
    except csv.Error as error:
        # A field over csv's limit (128 KiB), a quote left open, a NUL byte: the line it reached.
        raise StageFileRefused(
            [RowError(reader.line_num + 1, _("not a CSV file the tracker can read (%(error)s)") % {"error": error})]
        ) from None
    return header, rows


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("the date %(date)r is not a date written YYYY-MM-DD") % {"date": text}) from None


def stages_parse(*, treaty: Treaty, data: bytes | str) -> list[Stage]:
    """The file's steps, unsaved; StageFileRefused with every bad row if any row is bad."""
    _header, rows = _read(data)
    if not rows:
        raise StageFileRefused([RowError(1, _("the file has a header but no rows"))])
    kinds = _stage_kinds()
    participants = _participants_by_code({values["participant"].upper() for _line, values in rows})
    errors: list[RowError] = []
    stages: list[Stage] = []
    seen: dict[tuple, int] = {}
    for line, values in rows:
        try:
            stage = _row_stage(treaty, values, kinds, participants)
        except ValueError as error:
            errors.append(RowError(line, str(error)))
            continue
        key = (stage.participant.code, stage.kind, stage.label, stage.date)
        if key in seen:
            errors.append(RowError(line, _("the same step as line %(line)d") % {"line": seen[key]}))
            continue
        seen[key] = line
        stages.append(stage)
    if errors:
        raise StageFileRefused(errors)
    return stages


def _row_stage(treaty: Treaty, values: dict[str, str], kinds: dict[str, str], participants) -> Stage:
    code = values["participant"].upper()
    if not code:
        raise ValueError(_("no participant code"))
    if code not in participants:
        raise ValueError(_("no participant has the code %(code)r") % {"code": values["participant"]})
    if not values["date"]:
        raise ValueError(_("no date"))
    date = _date(values["date"])
    if not values["stage"]:
        raise ValueError(_("no stage"))
    kind = kinds.get(values["stage"].lower(), StageKind.OTHER)
    stage = Stage(
        treaty=treaty,
        participant=participants[code],
        kind=kind,
        label=values["stage"] if kind == StageKind.OTHER else "",
        date=date,
        source_url=values["source_url"],
        note=values["note"],
    )
    if not stage.source_url:
        raise ValueError(_("no source_url"))
    try:
        stage_check(stage)
    except ValidationError as error:
        messages = [
            f"{name}: {' '.join(problems)}" if name != "__all__" else " ".join(problems)
            for name, problems in error.message_dict.items()
        ]
        raise ValueError("; ".join(messages)) from None
    return stage


@transaction.atomic
def stages_import(*, treaty: Treaty, data: bytes | str, user, reason: str, announce: bool = False) -> ImportResult:
    """Check the whole file, then record its new steps in one transaction (nothing if a row is bad).

    Announcing is off by default: a file is usually the history staff gathered, not news.
    """
    reason = reason_required(reason)
    treaty = lock_treaty(treaty)
    stages = stages_parse(treaty=treaty, data=data)
    # Participants the shipped table knows but nobody stored yet (a State that has not signed).
    unsaved = {s.participant.name for s in stages if s.participant.pk is None}
    if unsaved:
        stored = participants_resolve(names=unsaved)
        for stage in stages:
            if stage.participant.pk is None:
                stage.participant = stored[stage.participant.name]
    existing = set(
        Stage.objects.filter(treaty=treaty).values_list("participant_id", "kind", "label", "date", named=False)
    )
    new = [s for s in stages if (s.participant.pk, s.kind, s.label, s.date) not in existing]
    created = stages_save(treaty=treaty, stages=new, user=user, reason=reason, announce=announce) if new else []
    return ImportResult(created=created, unchanged=len(stages) - len(new))


def stages_csv(*, treaty: Treaty) -> str:
    """Every step of the treaty in the import's format: importing the result changes nothing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    stages = Stage.objects.filter(treaty=treaty).select_related("participant").order_by("participant__code", "date")
    for stage in stages:
        name = stage.label if stage.kind == StageKind.OTHER else stage.kind
        writer.writerow(
            [
                stage.participant.code,
                stage.date.isoformat(),
                formula_guard(name),
                stage.source_url,
                formula_guard(stage.note),
            ]
        )
    return buffer.getvalue()
