"""Held rows in the review queue: first in line, shown as the file printed them, and settled once
by accepting, mapping or rejecting them, each with a reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alerts.models import Alert, Delivery
from ratification.models import (
    Action,
    Event,
    EventKind,
    Participant,
    ParticipantAlias,
    PollOutcome,
    ReviewItem,
    ReviewKind,
)
from ratification.services.polling import poll_treaty
from tests.admin.conftest import serve
from tests.alerts.world import subscribe
from tests.support.outbox import outbox_take
from tests.support.untc_files import Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db
TESTLAND = Row("Testland", "", "10 Feb 2026 a")


def held_after_polling(treaty, untc, *extra: Row, instruments: dict[str, str] | None = None) -> list[ReviewItem]:
    serve(untc, hanoi_file([*with_instruments(hanoi_rows(), instruments or {}), *extra]))
    run = poll_treaty(treaty=treaty).run
    assert run.outcome == PollOutcome.NEEDS_REVIEW
    return list(ReviewItem.objects.filter(kind=ReviewKind.HELD).order_by("pk"))


def page_of(item: ReviewItem) -> str:
    return reverse("admin:ratification_reviewitem_change", args=[item.pk])


def decide(staff, item: ReviewItem, decision: str, note: str = "", confirmed: bool = False, **extra):
    data = {"decision": decision, "note": note, **extra}
    if confirmed:
        data["_confirmed"] = "yes"
    return staff.post(page_of(item), data)


class QueueTests:
    def test_it_lists_held_rows_first_among_open_items(self, staff, confirmed, untc):
        serve(untc, hanoi_file([r for r in hanoi_rows() if r.name != "Mali"]))
        poll_treaty(treaty=confirmed)  # raises a disappearance
        [held] = held_after_polling(confirmed, untc, TESTLAND)
        listed = list(staff.get(reverse("admin:ratification_reviewitem_changelist")).context["cl"].result_list)
        assert [item.kind for item in listed] == [ReviewKind.HELD, ReviewKind.DISAPPEARED]
        assert listed[0] == held

    def test_its_page_shows_the_raw_row_why_and_the_three_decisions(self, staff, confirmed, untc):
        [held] = held_after_polling(confirmed, untc, Row("Fr\u200bance", "", "3 Mar 2026"))
        page = staff.get(page_of(held)).content.decode()
        assert '<code class="raw-row">Fr&lt;U+200B&gt;ance |  | 3 Mar 2026</code>' in page
        assert "invisible or bidirectional-control characters" in page
        for decision in ("accepted", "mapped", "rejected"):
            assert f'value="{decision}"' in page
        assert "\u200b" not in page


class AcceptTests:
    def test_it_confirms_first_saying_how_many_subscribers_will_be_mailed(self, staff, confirmed, untc):
        subscribe("ada@example.org", confirmed)
        [held] = held_after_polling(confirmed, untc, TESTLAND)
        page = decide(staff, held, "accepted", "C.N.12.2026: Testland acceded").content.decode()
        assert "Publish this row under Testland in XVIII-16?" in page
        assert "Counted: 1 of the 40 instruments needed." in page
        assert "This will e-mail 1 subscriber." in page
        assert not Action.objects.filter(participant__name="Testland").exists()
        assert ReviewItem.objects.get(pk=held.pk).is_open

    def test_accepting_publishes_and_announces_it_exactly_once(self, staff, confirmed, untc):
        subscribe("ada@example.org", confirmed)
        [held] = held_after_polling(confirmed, untc, TESTLAND)
        answer = decide(staff, held, "accepted", "C.N.12.2026: Testland acceded", confirmed=True)
        assert answer.status_code == 302
        action = Action.objects.get(participant__name="Testland")
        assert (action.kind, action.origin, action.label) == ("accession", "source", "Accession")
        [event] = Event.objects.filter(kind=EventKind.NEW_ACTION, action=action)
        assert event.public and event.data["counted"] == 1
        outbox_take()  # the outbox takes the committed events
        assert (Alert.objects.count(), Delivery.objects.count()) == (1, 1)
        held.refresh_from_db()
        assert (held.resolution, held.note) == ("accepted", "C.N.12.2026: Testland acceded")
        # A second click, or a second member of staff: refused, nothing recorded twice.
        again = decide(staff, held, "accepted", "again", confirmed=True)
        assert again.status_code == 200
        assert (Event.objects.filter(action=action).count(), Alert.objects.count()) == (1, 1)
        # The next poll of the same file holds nothing and announces nothing.
        serve(untc, hanoi_file([*hanoi_rows(), TESTLAND, Row("Mauritius", "19 Nov 2025")]))
        poll_treaty(treaty=confirmed)
        assert ReviewItem.objects.filter(kind=ReviewKind.HELD).count() == 1
        assert Event.objects.filter(action=action).count() == 1

    def test_it_refuses_to_accept_a_date_in_the_future_naming_the_reason(self, staff, confirmed, untc):
        [held] = held_after_polling(confirmed, untc, instruments={"Ghana": "3 Mar 2031"})
        assert held.data["reasons"] == ["its ratification is dated 03 Mar 2031, in the future"]
        page = decide(staff, held, "accepted", "looks right").content.decode()
        assert "The date is in the future" in page
        assert ReviewItem.objects.get(pk=held.pk).is_open


class MapTests:
    def test_mapping_makes_the_name_an_alias_and_publishes_under_that_participant(self, staff, confirmed, untc):
        [held] = held_after_polling(confirmed, untc, Row("Ghanna", "", "10 Feb 2026"))
        ghana = Participant.objects.get(code="GHA")
        page = decide(staff, held, "mapped", "a typo in the file", participant=ghana.pk).content.decode()
        assert "Publish this row under Ghana in XVIII-16?" in page
        decide(staff, held, "mapped", "a typo in the file", participant=ghana.pk, confirmed=True)
        assert ParticipantAlias.objects.get(name="Ghanna").participant == ghana
        assert Action.objects.get(participant=ghana, kind="ratification").date.isoformat() == "2026-02-10"
        assert ReviewItem.objects.get(pk=held.pk).resolution == "mapped"

    def test_mapping_needs_the_participant(self, staff, confirmed, untc):
        [held] = held_after_polling(confirmed, untc, Row("Ghanna", "", "10 Feb 2026"))
        page = decide(staff, held, "mapped", "a typo").content.decode()
        assert "Choose the participant this row is." in page


class RejectTests:
    def test_rejecting_needs_a_reason_publishes_nothing_and_is_not_asked_again(self, staff, confirmed, untc):
        [held] = held_after_polling(confirmed, untc, TESTLAND)
        assert "Say why" in decide(staff, held, "rejected").content.decode()
        assert decide(staff, held, "rejected", "no such State").status_code == 302
        assert not Participant.objects.filter(name="Testland").exists()
        assert not Event.objects.filter(kind=EventKind.NEW_ACTION, public=True).exists()
        serve(untc, hanoi_file([*hanoi_rows(), TESTLAND]))
        Treaty = type(confirmed)
        Treaty.objects.filter(pk=confirmed.pk).update(source_hash="another file")
        assert poll_treaty(treaty=Treaty.objects.get(pk=confirmed.pk)).run.outcome == PollOutcome.UNCHANGED
        assert ReviewItem.objects.filter(kind=ReviewKind.HELD).count() == 1


class HeldWithdrawalTests:
    def test_accepting_held_brackets_says_the_withdrawal_is_recorded_and_announced(self, staff, confirmed, untc):
        serve(untc, hanoi_file(with_instruments(hanoi_rows(), {"Ghana": "2 Nov 2026"})))
        poll_treaty(treaty=confirmed)
        [held] = held_after_polling(confirmed, untc, instruments={"Ghana": "[ 2 Nov 2026 ]"})
        page = decide(staff, held, "accepted", note="C.N.9.2026: Ghana withdrew").content.decode()
        assert "Record the withdrawal of the ratification of 2 November 2026" in page
        assert not Action.objects.get(participant__code="GHA", kind="ratification").withdrawn
        decide(staff, held, "accepted", note="C.N.9.2026: Ghana withdrew", confirmed=True)
        assert Action.objects.get(participant__code="GHA", kind="ratification").withdrawn
        assert Event.objects.filter(kind=EventKind.WITHDRAWAL, public=True).count() == 1


class HeldStatementTests:
    def test_a_held_statement_is_shown_and_accepted_with_its_preview(self, staff, confirmed, untc):
        from ratification.models import Statement
        from tests.support.untc_statements import FRANCE_DECLARATION, HanoiFile, Said

        serve(untc, HanoiFile(said=[Said("Atlantis", (FRANCE_DECLARATION,))]).bytes())
        poll_treaty(treaty=confirmed)
        [held] = ReviewItem.objects.filter(kind=ReviewKind.HELD)
        page = staff.get(page_of(held)).content.decode()
        assert "Atlantis | declarations | Declaration:" in page and "Ministry of Justice" in page
        preview = decide(staff, held, "accepted", "A new State").content.decode()
        assert "Record the statement (declaration) under Atlantis." in preview
        decide(staff, held, "accepted", "A new State", confirmed=True)
        assert Statement.objects.get().participant.name == "Atlantis"
        assert Event.objects.get(kind=EventKind.STATEMENT_MADE).public

    def test_the_public_diff_of_the_file_leaves_a_held_statement_out(self, client, confirmed, untc):
        from ratification.models import PollRun
        from tests.support.untc_statements import FRANCE_DECLARATION, HanoiFile, Said

        serve(untc, HanoiFile(said=[Said("France", (FRANCE_DECLARATION,))]).bytes())
        poll_treaty(treaty=confirmed)
        serve(
            untc,
            HanoiFile(said=[Said("France", (FRANCE_DECLARATION,)), Said("Atlantis", (FRANCE_DECLARATION,))]).bytes(),
        )
        poll_treaty(treaty=confirmed)
        assert ReviewItem.objects.filter(kind=ReviewKind.HELD).count() == 1
        run = PollRun.objects.latest("pk")
        page = client.get(reverse("poll-diff", args=[confirmed.mtdsg, run.pk])).content.decode()
        assert "Atlantis" not in page
