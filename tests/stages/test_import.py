"""`import_stages` and the CSV behind it: all or nothing, each bad row by its line number."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from ratification.models import Event, Participant, Stage, StageKind
from ratification.services import stage_import
from tests.stages.conftest import SOURCE, D

pytestmark = pytest.mark.django_db

HEADER = "participant,date,stage,source_url,note\r\n"


def good_rows(treaty, count: int) -> list[str]:
    """`count` distinct good rows over the seeded signatories, two steps a month."""
    codes = sorted(Participant.objects.filter(actions__treaty=treaty).values_list("code", flat=True).distinct())
    kinds = ["submitted", "approved by parliament", "signed_into_law", "Government decision"]
    rows = []
    for index in range(count):
        code = codes[index % len(codes)]
        day = D(2025, 11, 1) + datetime.timedelta(days=index)
        rows.append(f"{code},{day.isoformat()},{kinds[index % len(kinds)]},{SOURCE}?n={index},note {index}\r\n")
    return rows


class StageFileTests:
    def test_it_imports_a_good_file_in_one_go(self, treaty):
        result = stage_import.stages_import(
            treaty=treaty, data=(HEADER + "".join(good_rows(treaty, 12))).encode(), user=None, reason="file"
        )
        assert len(result.created) == 12 and Stage.objects.count() == 12
        assert Stage.objects.filter(kind=StageKind.OTHER, label="Government decision").count() == 3
        assert Stage.objects.filter(kind=StageKind.APPROVED).count() == 3

    def test_a_200_row_file_with_3_bad_rows_reports_exactly_those_lines_and_imports_nothing(self, treaty):
        rows = good_rows(treaty, 200)
        # Lines count the header as line 1: rows[i] is on line i + 2.
        rows[9] = "ZZZ,2026-01-05,approved,https://example.org/a,\r\n"  # line 11: unknown code
        rows[99] = "AUT,2026-13-01,approved,https://example.org/b,\r\n"  # line 101: no such date
        rows[179] = "GHA,2026-02-01,approved,ftp://example.org/c,\r\n"  # line 181: not http(s)
        with pytest.raises(stage_import.StageFileRefused) as refused:
            stage_import.stages_import(treaty=treaty, data=(HEADER + "".join(rows)).encode(), user=None, reason="x")
        assert [error.line for error in refused.value.errors] == [11, 101, 181]
        reasons = [error.reason for error in refused.value.errors]
        assert "ZZZ" in reasons[0] and "YYYY-MM-DD" in reasons[1] and "http" in reasons[2]
        assert Stage.objects.count() == 0 and Event.objects.filter(kind="stage_reported").count() == 0

    def test_the_command_reports_the_bad_lines_and_imports_nothing(self, treaty, tmp_path):
        rows = good_rows(treaty, 200)
        rows[0] = "AUT,,approved,https://example.org/a,\r\n"  # line 2: no date
        rows[50] = f"AUT,{(datetime.date.today() + datetime.timedelta(days=30)).isoformat()},approved,{SOURCE},\r\n"
        rows[198] = "AUT,2026-01-02,,https://example.org/a,\r\n"  # line 200: no stage
        path = tmp_path / "steps.csv"
        path.write_text(HEADER + "".join(rows), encoding="utf-8")
        stderr = io.StringIO()
        with pytest.raises(CommandError, match="3 bad row"):
            call_command("import_stages", str(path), "--treaty", "XVIII-16", stderr=stderr)
        lines = stderr.getvalue().splitlines()
        assert [line.split(":")[0] for line in lines] == ["line 2", "line 52", "line 200"]
        assert "future" in lines[1]
        assert Stage.objects.count() == 0

    def test_the_same_step_twice_in_a_file_is_refused_with_both_lines(self, treaty):
        data = f"{HEADER}AUT,2026-01-05,approved,{SOURCE},\r\naut,2026-01-05,Approved by parliament,{SOURCE},x\r\n"
        with pytest.raises(stage_import.StageFileRefused) as refused:
            stage_import.stages_parse(treaty=treaty, data=data)
        assert [(e.line, e.reason) for e in refused.value.errors] == [(3, "the same step as line 2")]

    def test_a_missing_column_refuses_the_file_at_its_header(self, treaty):
        with pytest.raises(stage_import.StageFileRefused) as refused:
            stage_import.stages_parse(treaty=treaty, data="participant,date,stage\r\nAUT,2026-01-05,approved\r\n")
        assert refused.value.errors[0].line == 1 and "source_url" in refused.value.errors[0].reason

    def test_a_file_that_is_not_utf8_is_refused(self, treaty):
        with pytest.raises(stage_import.StageFileRefused):
            latin1 = "AUT,2026-01-05,Genehmigt \u00e4".encode("latin-1")
            stage_import.stages_parse(treaty=treaty, data=HEADER.encode() + latin1)

    def test_a_state_the_shipped_table_knows_is_created_even_without_a_un_action(self, treaty):
        assert not Participant.objects.filter(code="NZL").exists()
        stage_import.stages_import(
            treaty=treaty, data=HEADER + f"NZL,2026-03-01,submitted,{SOURCE},\r\n", user=None, reason="file"
        )
        assert Stage.objects.get().participant.name == "New Zealand"

    def test_export_then_import_changes_nothing(self, treaty):
        data = HEADER + "".join(good_rows(treaty, 20)) + f'AUT,2026-02-02,"=HYPERLINK(1)",{SOURCE},"-a note"\r\n'
        stage_import.stages_import(treaty=treaty, data=data, user=None, reason="file")
        exported = stage_import.stages_csv(treaty=treaty)
        assert exported.startswith(HEADER) and "'=HYPERLINK(1)" in exported
        again = stage_import.stages_import(treaty=treaty, data=exported, user=None, reason="again")
        assert again.created == [] and again.unchanged == 21
        assert Stage.objects.filter(label="=HYPERLINK(1)", note="-a note").count() == 1

    def test_the_command_exports_in_the_same_format(self, treaty, tmp_path):
        stage_import.stages_import(treaty=treaty, data=HEADER + "".join(good_rows(treaty, 3)), user=None, reason="f")
        stdout = io.StringIO()
        call_command("import_stages", "-", "--treaty", "XVIII-16", "--export", stdout=stdout)
        assert stdout.getvalue() == stage_import.stages_csv(treaty=treaty)
        assert stdout.getvalue().count("\r\n") == 4


class StageFileLanguageTests:
    def test_a_file_reads_the_same_whatever_the_uploaders_language(self, treaty):
        from django.utils import translation

        with translation.override("fr"):
            stages = stage_import.stages_parse(
                treaty=treaty,
                data=f"{HEADER}AUT,2026-01-05,approved by parliament,{SOURCE},\r\n"
                f"GHA,2026-01-05,approuvé par le parlement,{SOURCE},\r\n",
            )
        assert [stage.kind for stage in stages] == [StageKind.APPROVED, StageKind.APPROVED]


class HostileFileTests:
    """What a careless or hostile file holds is refused with a reason, never a traceback."""

    def test_a_field_over_the_csv_limit_is_refused_by_its_line(self, treaty):
        data = f"{HEADER}AUT,2026-03-12,approved,{SOURCE},ok\r\nGHA,2026-03-12,approved,{SOURCE},{'x' * 200_000}\r\n"
        with pytest.raises(stage_import.StageFileRefused) as refused:
            stage_import.stages_import(treaty=treaty, data=data.encode(), user=None, reason="x")
        [error] = refused.value.errors
        assert error.line == 3 and "not a CSV file the tracker can read" in error.reason
        assert Stage.objects.count() == 0

    def test_the_command_says_so_instead_of_a_traceback(self, treaty, tmp_path):
        path = tmp_path / "steps.csv"
        path.write_text(f"{HEADER}GHA,2026-03-12,approved,{SOURCE},{'x' * 200_000}\r\n", encoding="utf-8")
        stderr = io.StringIO()
        with pytest.raises(CommandError, match="1 bad row"):
            call_command("import_stages", str(path), "--treaty", "XVIII-16", stderr=stderr)
        assert stderr.getvalue().startswith("line 2: not a CSV file the tracker can read")

    def test_a_file_too_big_to_be_a_list_of_steps_is_refused_unread(self, treaty, tmp_path):
        path = tmp_path / "huge.csv"
        with path.open("w", encoding="utf-8") as file:
            file.write(HEADER)
            file.write(f"AUT,2026-03-12,approved,{SOURCE},{'x' * 1000}\r\n" * (stage_import.MAX_FILE_BYTES // 1000))
        with pytest.raises(
            CommandError,
            match=r"huge.csv refused: the file has [\d,]+ bytes; a file of national steps has at most 4,194,304",
        ):
            call_command("import_stages", str(path), "--treaty", "XVIII-16", stderr=io.StringIO())
        with pytest.raises(stage_import.StageFileRefused, match="at most 4,194,304"):
            stage_import.stages_import(treaty=treaty, data=path.read_bytes(), user=None, reason="x")
        assert Stage.objects.count() == 0

    def test_a_note_longer_than_a_paragraph_is_refused(self, treaty):
        data = f"{HEADER}AUT,2026-03-12,approved,{SOURCE},{'x' * 2001}\r\n"
        with pytest.raises(stage_import.StageFileRefused) as refused:
            stage_import.stages_import(treaty=treaty, data=data.encode(), user=None, reason="x")
        assert "at most 2000 characters" in refused.value.errors[0].reason.replace(",", "")

    @pytest.mark.parametrize(
        ("column", "text", "code"),
        [
            ("note", "approved\x00 by the senate", "U+0000"),
            ("note", "approved \u202ekrowten\u202c", "U+202E"),
            ("stage", "Government\u2066 decision", "U+2066"),
            ("stage", "Senate\x1b[31m vote", "U+001B"),
        ],
    )
    def test_control_and_bidirectional_characters_are_refused_not_stored(self, treaty, column, text, code):
        values = {"participant": "AUT", "date": "2026-03-12", "stage": "approved", "source_url": SOURCE, "note": ""}
        values[column] = text
        data = HEADER + ",".join(values[name] for name in stage_import.COLUMNS) + "\r\n"
        with pytest.raises(stage_import.StageFileRefused) as refused:
            stage_import.stages_import(treaty=treaty, data=data.encode(), user=None, reason="x")
        [error] = refused.value.errors
        assert error.line == 2 and code in error.reason and "invisible control character" in error.reason
        assert Stage.objects.count() == 0

    def test_tabs_and_line_breaks_in_a_note_are_kept(self, treaty):
        data = f'{HEADER}AUT,2026-03-12,approved,{SOURCE},"first line\r\nsecond\tline"\r\n'
        stage_import.stages_import(treaty=treaty, data=data.encode(), user=None, reason="x")
        assert Stage.objects.get().note == "first line\r\nsecond\tline"
