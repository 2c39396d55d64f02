"""Recording statements from polls (ratification/services/statements.py): by identity, once,
baseline quiet, and each one made, changed or withdrawn an event of its own."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ratification.models import Event, EventKind, PollOutcome, ReviewItem, ReviewKind, Statement, Treaty
from ratification.services.polling import poll_treaty
from ratification.services.reviews import review_settle
from tests.support.untc_statements import (
    FRANCE_DECLARATION,
    FRANCE_RESERVATION,
    GERMANY_OBJECTION,
    HanoiFile,
    Note,
    Said,
)

pytestmark = pytest.mark.django_db


def poll(treaty: Treaty, file: HanoiFile) -> str:
    return poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk), content=file.bytes()).run.outcome


def statement_events() -> list[Event]:
    return list(Event.objects.filter(kind__startswith="statement_").order_by("id"))


@pytest.fixture
def read(treaty):
    """XVIII-16 read once as it is (no statements): later files are news."""
    assert poll(treaty, HanoiFile()) in (PollOutcome.CHANGED, PollOutcome.UNCHANGED)
    return treaty


FRANCE = Said("France", (FRANCE_RESERVATION, FRANCE_DECLARATION))


class BaselineTests:
    def test_the_first_read_records_statements_without_announcing_them(self, treaty):
        poll(treaty, HanoiFile(said=[FRANCE]))
        [row] = Statement.objects.all()
        assert (row.participant.code, row.kinds, row.articles) == (
            "FRA",
            ["reservation", "declaration"],
            ["22(4)", "40"],
        )
        [event] = statement_events()
        assert (event.kind, event.public, event.data["baseline"]) == (EventKind.STATEMENT_MADE, False, True)

    def test_a_treaty_read_before_statements_takes_their_baseline_on_its_next_poll_even_unchanged(self, read):
        file = HanoiFile(said=[FRANCE])
        poll(read, file)
        Event.objects.filter(kind__startswith="statement_").delete()
        Statement.objects.all().delete()
        Treaty.objects.filter(pk=read.pk).update(statements_read=False)  # as the migration leaves it
        assert poll(read, file) != PollOutcome.UNCHANGED
        assert Statement.objects.count() == 1
        assert [event.public for event in statement_events()] == [False]
        assert poll(read, file) == PollOutcome.UNCHANGED


class NewsTests:
    def test_a_new_reservation_and_declaration_is_one_statement_and_one_public_event(self, read):
        assert poll(read, HanoiFile(said=[FRANCE])) == PollOutcome.CHANGED
        [event] = statement_events()
        assert (event.kind, event.public, event.participant.code) == (EventKind.STATEMENT_MADE, True, "FRA")
        assert event.data["kinds"] == ["reservation", "declaration"]
        assert event.data["articles"] == ["22(4)", "40"]
        assert event.statement == Statement.objects.get()
        assert event.poll_run.snapshot is not None  # its source file

    def test_the_same_file_twice_records_nothing_twice(self, read):
        poll(read, HanoiFile(said=[FRANCE]))
        assert poll(read, HanoiFile(said=[FRANCE], instruments={"Ghana": "2 Feb 2026"})) == PollOutcome.CHANGED
        assert len(statement_events()) == 1 and Statement.objects.count() == 1

    def test_an_objection_names_the_reserving_state(self, read):
        poll(read, HanoiFile(said=[FRANCE]))
        germany = Said("Germany", (GERMANY_OBJECTION,), section="objections", right="3 March 2026")
        poll(read, HanoiFile(said=[FRANCE, germany]))
        event = statement_events()[-1]
        assert (event.kind, event.participant.code, event.data["kinds"]) == (
            EventKind.STATEMENT_MADE,
            "DEU",
            ["objection"],
        )
        assert event.data["answers"] == [{"name": "France", "kind": "reservation", "code": "FRA"}]
        assert event.occurred_on.isoformat() == "2026-03-03"

    def test_a_second_objection_added_to_the_same_element_is_made_again(self, read):
        first = Said("Germany", (GERMANY_OBJECTION,), section="objections")
        poll(read, HanoiFile(said=[FRANCE, first]))
        another = ("With regard to the reservation made by Chile upon ratification:", "Germany objects.")
        poll(read, HanoiFile(said=[FRANCE, Said("Germany", (GERMANY_OBJECTION, another), section="objections")]))
        event = statement_events()[-1]
        assert event.kind == EventKind.STATEMENT_MADE
        assert event.data["answers"] == [{"name": "Chile", "kind": "reservation", "code": "CHL"}]
        assert Statement.objects.filter(participant__code="DEU").count() == 1

    def test_removing_the_reservation_withdraws_it_and_keeps_the_declaration(self, read):
        poll(read, HanoiFile(said=[FRANCE]))
        note = Note(1, "On 9 April 2026, the Government of France notified the Secretary-General that it had "
                       "decided to withdraw the reservation to article 22 made upon ratification.")  # fmt: skip
        poll(read, HanoiFile(said=[Said("France", (FRANCE_DECLARATION,), footnotes=(1,))], notes=[note]))
        event = statement_events()[-1]
        assert (event.kind, event.data["kinds"], event.data["articles"]) == (
            EventKind.STATEMENT_WITHDRAWN,
            ["reservation"],
            ["22(4)"],
        )
        assert event.data["previous_text"].startswith("Reservation:")
        row = Statement.objects.get()
        assert (row.kinds, row.withdrawn_on, row.footnotes) == (["declaration"], None, [1])

    def test_an_emptied_statement_is_withdrawn_as_its_note_says(self, read):
        poll(read, HanoiFile(said=[Said("France", (FRANCE_RESERVATION,))]))
        note = Note(2, "On 9 April 2026, the Government of France informed the Secretary-General that it had "
                       "decided to withdraw its reservation made upon ratification.")  # fmt: skip
        poll(read, HanoiFile(said=[Said("France", footnotes=(2,))], notes=[note]))
        event = statement_events()[-1]
        assert (event.kind, event.data["kinds"], event.occurred_on.isoformat()) == (
            EventKind.STATEMENT_WITHDRAWN,
            ["reservation"],
            "2026-04-09",
        )

    def test_a_statement_gone_from_the_file_is_withdrawn_and_kept(self, read):
        poll(read, HanoiFile(said=[FRANCE]))
        poll(read, HanoiFile())
        event = statement_events()[-1]
        assert (event.kind, event.data["kinds"], event.occurred_on) == (
            EventKind.STATEMENT_WITHDRAWN,
            ["reservation", "declaration"],
            timezone.localdate(),
        )
        assert Statement.objects.get().withdrawn_on == timezone.localdate()

    def test_a_section_missing_from_the_file_withdraws_nothing(self, read):
        poll(read, HanoiFile(said=[FRANCE]))
        data = HanoiFile(instruments={"Chile": "1 Mar 2026"}).bytes().replace(b"<Declarations />", b"")
        poll_treaty(treaty=Treaty.objects.get(pk=read.pk), content=data)
        assert [event.kind for event in statement_events()] == [EventKind.STATEMENT_MADE]
        assert Statement.objects.get().withdrawn_on is None

    def test_an_edited_text_is_a_change_keeping_the_text_before(self, read):
        poll(read, HanoiFile(said=[FRANCE]))
        edited = ("Declaration:", "France declares that it designates the Ministry of the Interior under article 40.")
        poll(read, HanoiFile(said=[Said("France", (FRANCE_RESERVATION, edited))]))
        event = statement_events()[-1]
        assert event.kind == EventKind.STATEMENT_CHANGED
        assert "Ministry of Justice" in event.data["previous_text"]
        assert Statement.objects.get().history.count() == 2


class HeldTests:
    def test_an_unknown_participants_statement_is_held_and_the_rest_goes_ahead(self, read):
        atlantis = Said("Atlantis", (FRANCE_DECLARATION,))
        assert poll(read, HanoiFile(said=[FRANCE, atlantis])) == PollOutcome.CHANGED
        assert list(Statement.objects.values_list("participant__code", flat=True)) == ["FRA"]
        [item] = ReviewItem.objects.filter(kind=ReviewKind.HELD)
        assert item.data["statement"]["participant"] == "Atlantis"
        assert item.data["reasons"] == ["the name is not a participant, State or organisation the tracker knows"]
        poll(read, HanoiFile(said=[FRANCE, atlantis], instruments={"Chile": "1 Mar 2026"}))
        assert ReviewItem.objects.filter(kind=ReviewKind.HELD).count() == 1  # raised once

    def test_a_statement_naming_nobody_is_held_not_refused(self, read):
        data = HanoiFile(said=[FRANCE]).bytes().replace(b"<Participant>France</Participant>", b"<Participant />")
        assert poll_treaty(treaty=Treaty.objects.get(pk=read.pk), content=data).run.outcome == PollOutcome.NEEDS_REVIEW
        [item] = ReviewItem.objects.filter(kind=ReviewKind.HELD)
        assert item.data["reasons"] == ["the statement names no participant"]

    def test_a_name_with_invisible_characters_is_held_even_if_it_looks_known(self, read):
        poll(read, HanoiFile(said=[Said("Fr\u200bance", (FRANCE_DECLARATION,))]))
        assert not Statement.objects.exists()
        [item] = ReviewItem.objects.filter(kind=ReviewKind.HELD)
        assert "invisible" in item.data["reasons"][0]

    def test_mapping_a_held_statement_publishes_it_under_the_participant(self, read, django_user_model):
        poll(read, HanoiFile(said=[Said("Atlantis", (FRANCE_DECLARATION,))]))
        item = ReviewItem.objects.get(kind=ReviewKind.HELD)
        staff = django_user_model.objects.create_user("staff", is_staff=True)
        from ratification.models import Participant

        france = Participant.objects.get(code="FRA")
        review_settle(item=item, resolution="mapped", user=staff, note="France's old name", participant=france)
        row = Statement.objects.get()
        assert (row.participant, row.kinds) == (france, ["declaration"])
        [event] = statement_events()
        assert (event.kind, event.public, event.statement) == (EventKind.STATEMENT_MADE, True, row)
        # The name is now an alias: the next poll files it under France, and nothing is new.
        poll(read, HanoiFile(said=[Said("Atlantis", (FRANCE_DECLARATION,))], instruments={"Chile": "1 Mar 2026"}))
        assert len(statement_events()) == 1 and Statement.objects.count() == 1
