"""poll_treaty through the whole path: fixture HTTP server, fetch, parse, validate, reconcile."""

from __future__ import annotations

import datetime
import gzip

import pytest
from django.core import mail

from ratification import selectors
from ratification.models import Action, Event, EventKind, PollOutcome, PollRun, ReviewItem, ReviewKind, Treaty
from ratification.services.polling import poll_treaty
from tests.support.http_server import local_server, ok, status
from tests.support.outbox import outbox_send
from tests.support.untc_files import MAINTENANCE_PAGE, URL_PATH, Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def untc(settings):
    """A stand-in for treaties.un.org; scripted per test with `serve(untc, ...)`."""
    with local_server() as server:
        settings.UNTC_BASE_URL = server.base_url
        settings.POLL_FETCH_BACKOFF = 0.01
        settings.POLL_FETCH_TIMEOUT = 2
        settings.STAFF_ALERT_EMAILS = ["ops@example.org"]
        yield server


def poll(treaty: Treaty, **options) -> PollRun:
    return poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk), **options).run


def serve(untc, *handlers) -> None:
    """Script the next answers (bytes are served with 200); the last one repeats."""
    untc.requests.clear()
    untc.routes[URL_PATH] = [ok(h) if isinstance(h, bytes) else h for h in handlers]


class ReplayTests:
    """The life of the convention as a sequence of files, good and bad."""

    def test_it_records_exactly_the_real_changes_and_nothing_from_the_bad_steps(self, treaty, untc):
        rows = hanoi_rows()
        with_mauritius = [*rows, Row("Mauritius", "19 Nov 2025")]
        three = with_instruments(
            with_mauritius, {"Qatar": "3 Feb 2026", "European Union": "6 Mar 2026 AA", "Viet Nam": "6 Mar 2026"}
        )
        others = [r.name for r in with_mauritius if r.name not in {"European Union", "Qatar", "Viet Nam", "Zimbabwe"}]
        thirty_nine = dict.fromkeys(others[:37], "1 Jun 2026")
        assert len(thirty_nine) == 37
        fortieth = with_instruments(three, {**thirty_nine, "Zimbabwe": "22 Oct 2026"})

        # 1. The seed file: the seeded rows are confirmed; nothing to announce.
        serve(untc, hanoi_file(rows))
        assert poll(treaty).outcome == PollOutcome.UNCHANGED
        assert Event.objects.count() == 0

        # 2. A new signature.
        serve(untc, hanoi_file(with_mauritius))
        assert poll(treaty).outcome == PollOutcome.CHANGED
        assert list(Event.objects.values_list("kind", "participant__code", "public")) == [("new_action", "MUS", True)]

        # 3. Three instruments, the European Union's among them: two counted.
        serve(untc, hanoi_file(three))
        run = poll(treaty)
        assert (run.outcome, run.new_actions) == (PollOutcome.CHANGED, 3)
        counted = {e.participant.code: e.data["counted"] for e in run.events.all()}
        assert counted == {"QAT": 1, "EUU": 1, "VNM": 2}
        assert selectors.treaty_summary(treaty=treaty).as_json() == {
            "signatories": 73,
            "parties": 3,
            "counted": 2,
            "threshold": 40,
            "needed": 38,
            "threshold_reached_on": None,
            "entry_into_force": None,
        }

        # 4. The 40th counted instrument fixes the date of entry into force.
        serve(untc, hanoi_file(fortieth))
        run = poll(treaty)
        assert run.new_actions == 38
        [milestone] = run.events.filter(kind=EventKind.THRESHOLD_REACHED)
        assert (milestone.participant.code, milestone.occurred_on) == ("ZWE", D(2026, 10, 22))
        assert milestone.data["entry_into_force"] == "2027-01-20"
        before = (Action.objects.count(), Event.objects.count(), Treaty.objects.get(pk=treaty.pk).source_hash)

        # 5-7. A maintenance page, a truncated file, a 500: refused, nothing written.
        serve(untc, MAINTENANCE_PAGE, hanoi_file(fortieth)[:3000], status(500))
        outcomes = [poll(treaty).outcome for _ in range(3)]
        assert outcomes == [PollOutcome.FAILED_VALIDATION, PollOutcome.FAILED_VALIDATION, PollOutcome.FAILED]
        assert (Action.objects.count(), Event.objects.count(), Treaty.objects.get(pk=treaty.pk).source_hash) == before

        # 8. The good file again: nothing new, and the incident is over.
        serve(untc, hanoi_file(fortieth))
        assert poll(treaty).outcome == PollOutcome.UNCHANGED
        assert (Action.objects.count(), Event.objects.count()) == before[:2]
        assert selectors.treaty_summary(treaty=treaty).as_json() == {
            "signatories": 73,
            "parties": 41,  # 40 counted and the European Union
            "counted": 40,
            "threshold": 40,
            "needed": 0,
            "threshold_reached_on": "2026-10-22",
            "entry_into_force": "2027-01-20",
        }
        outbox_send()  # staff e-mails are owed through the outbox, which sends them
        subjects = [message.subject for message in mail.outbox]
        assert subjects == [
            "[Treaty tracker] Reading the UNTC file of XVIII-16 is failing",
            "[Treaty tracker] Reading the UNTC file of XVIII-16 works again",
        ]


# Without the test's wrapping transaction, so the queries counted are the ones production runs
# (inside a test transaction every atomic block adds SAVEPOINT and RELEASE statements).
@pytest.mark.django_db(transaction=True)
class UnchangedTests:
    def test_it_costs_at_most_four_queries_and_no_parse_when_the_file_is_the_same(
        self, treaty, untc, django_assert_max_num_queries, monkeypatch
    ):
        serve(untc, hanoi_file(hanoi_rows()))
        poll(treaty)
        monkeypatch.setattr("ratification.services.polling.parse_status", _no_parse)
        # Read the treaty, start and finish the PollRun, bump the data version (the pages say
        # when the source was last checked).
        with django_assert_max_num_queries(4):
            run = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)).run
        assert run.outcome == PollOutcome.UNCHANGED

    def test_it_sends_its_validators_and_takes_a_304_as_unchanged(self, treaty, untc, django_assert_max_num_queries):
        serve(
            untc,
            ok(hanoi_file(hanoi_rows()), ETag='"v1"', Last_Modified="Sun, 29 Nov 2026 04:00:00 GMT"),
            status(304),
        )
        poll(treaty)
        with django_assert_max_num_queries(4):
            run = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)).run
        assert (run.outcome, run.http_status) == (PollOutcome.NOT_MODIFIED, 304)
        headers = untc.requests[-1][1]
        assert headers["If-None-Match"] == '"v1"'
        assert headers["If-Modified-Since"] == "Sun, 29 Nov 2026 04:00:00 GMT"

    def test_it_keeps_the_raw_file_of_each_change_compressed(self, treaty, untc):
        body = hanoi_file([*hanoi_rows(), Row("Mauritius", "19 Nov 2025")])
        serve(untc, body)
        run = poll(treaty)
        assert gzip.decompress(bytes(run.snapshot.compressed)) == body
        assert run.snapshot.sha256 == run.content_hash


def _no_parse(data: bytes):
    raise AssertionError("an unchanged file must not be parsed")


class FailureTests:
    def test_it_alerts_staff_once_per_incident_and_once_on_recovery(self, treaty, untc):
        serve(untc, hanoi_file(hanoi_rows()))
        poll(treaty)
        serve(untc, status(503))
        for _ in range(5):
            assert poll(treaty).outcome == PollOutcome.FAILED
        outbox_send()
        assert len(mail.outbox) == 1
        assert "failed 3 times" in ReviewItem.objects.get(kind=ReviewKind.POLL_FAILING).description
        serve(untc, hanoi_file(hanoi_rows()))
        poll(treaty)
        poll(treaty)
        outbox_send()
        assert [m.subject.split()[-2:] for m in mail.outbox] == [["is", "failing"], ["works", "again"]]
        assert Treaty.objects.get(pk=treaty.pk).consecutive_failures == 0
        assert not ReviewItem.objects.filter(kind=ReviewKind.POLL_FAILING, resolved_at__isnull=True).exists()

    def test_it_refuses_a_file_listing_far_fewer_participants(self, treaty, untc):
        serve(untc, hanoi_file(hanoi_rows()[:50]))
        run = poll(treaty)
        assert run.outcome == PollOutcome.FAILED_VALIDATION
        assert "lists 50 participants but 72 are stored" in run.error
        assert not ReviewItem.objects.filter(kind=ReviewKind.DISAPPEARED).exists()

    def test_it_refuses_another_treaty_s_file(self, treaty, untc):
        from tests.support.untc_files import FIXTURES

        serve(untc, (FIXTURES / "XXVI-9.xml").read_bytes())
        run = poll(treaty)
        assert run.error == "the file is the status of XXVI-9, not of XVIII-16"

    def test_it_records_a_crash_as_a_failed_run_and_frees_the_lock(self, treaty, untc, monkeypatch):
        serve(untc, hanoi_file(hanoi_rows()))

        def explode(data: bytes):
            raise RecursionError("maximum recursion depth exceeded")

        monkeypatch.setattr("ratification.services.polling.parse_status", explode)
        run = poll(treaty)
        assert run.outcome == PollOutcome.FAILED
        assert "RecursionError" in run.error
        assert not PollRun.objects.filter(outcome=PollOutcome.RUNNING).exists()

    def test_it_names_the_cause_of_a_fetch_failure(self, treaty, untc):
        serve(untc, status(404))
        run = poll(treaty)
        assert (run.outcome, run.http_status) == (PollOutcome.FAILED, 404)
        assert "404" in run.error


class LockTests:
    def test_it_skips_while_another_poll_of_the_treaty_is_running(self, treaty, untc):
        from django.utils import timezone

        PollRun.objects.create(treaty=treaty, started_at=timezone.now())
        report = poll_treaty(treaty=treaty)
        assert report.run.outcome == PollOutcome.SKIPPED
        assert report.run.pk is None
        assert untc.requests == []

    def test_it_frees_the_lock_of_a_poll_abandoned_by_a_dead_worker(self, treaty, untc):
        from django.utils import timezone

        serve(untc, hanoi_file(hanoi_rows()))
        stale = PollRun.objects.create(treaty=treaty, started_at=timezone.now() - datetime.timedelta(hours=1))
        assert poll(treaty).outcome == PollOutcome.UNCHANGED
        stale.refresh_from_db()
        assert (stale.outcome, stale.error) == (PollOutcome.FAILED, "abandoned: its worker stopped")

    def test_it_polls_a_slot_once_however_often_it_is_fired(self, treaty, untc):
        serve(untc, hanoi_file(hanoi_rows()))
        slot = datetime.datetime(2026, 11, 29, 0, tzinfo=datetime.UTC)
        first = poll_treaty(treaty=treaty, slot=slot).run
        second = poll_treaty(treaty=treaty, slot=slot).run
        assert first.outcome == PollOutcome.UNCHANGED
        assert second.outcome == PollOutcome.SKIPPED
        assert PollRun.objects.filter(slot=slot).count() == 1
        assert untc.hits(URL_PATH) == 1
