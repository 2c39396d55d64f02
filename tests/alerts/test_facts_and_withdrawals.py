"""Issue 22, poll by poll: the treaty's own facts are the tracker's, and a count only goes down
once staff confirm it.

As in test_identities.py, each poll brings an attack together with real news (an accession and
a ratification) that is published, counted, mailed and posted to the webhook.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from ratification.models import Action, ReviewItem, ReviewKind, ReviewResolution, Treaty
from ratification.services.reviews import review_settle
from tests.alerts.news_world import World, news_file
from tests.support.untc_files import Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db


def with_participation_column(data: bytes, participations: dict[str, str]) -> bytes:
    """The file with a fourth column, "Participation(P)", filled in for these participants."""
    text = data.decode("iso-8859-1").replace('<TGroup cols="3">', '<TGroup cols="4">')
    text = text.replace("</Entry></Row></Thead>", '</Entry><Entry colname="4">Participation(P)</Entry></Row></Thead>')

    def row(match: re.Match) -> str:
        name = re.match(r"<Row><Entry>(.*?)</Entry>", match[0])[1]
        cell = f"<Entry>{participations[name]} P</Entry>" if name in participations else "<Entry />"
        return match[0][: -len("</Row>")] + cell + "</Row>"

    text = re.sub(r"<Row><Entry>.*?</Row>", row, text)
    return text.encode("iso-8859-1")


@pytest.fixture
def world(news_world) -> World:
    return news_world


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_superuser("ada", "ada@example.org", "a long staff password")


class GoalpostTests:
    def test_a_header_claiming_an_earlier_date_moves_nothing_and_is_raised(self, world: World):
        data = news_file(extra=(Row("Mongolia", "", "3 Mar 1990 a"),))
        data = data.replace(b"New York, 24 December 2024<", b"New York, 24 December 2024 (first draft 1 January 1980)<")
        run = world.poll(data)
        world.assert_the_news_went_out_alone(run, "Mongolia")
        [held] = ReviewItem.objects.filter(kind=ReviewKind.HELD)
        assert "before the treaty was adopted (2024-12-24)" in held.description
        [facts] = ReviewItem.objects.filter(kind=ReviewKind.TREATY_FACTS)
        assert "gives 1980-01-01" in facts.description and "the stored date stands" in facts.description
        assert Treaty.objects.get(pk=world.treaty.pk).adopted_on.isoformat() == "2024-12-24"

    def test_a_new_participation_column_is_held_and_checked_for_dates_like_any_instrument(self, world: World):
        run = world.poll(with_participation_column(news_file(), {"Ghana": "1 Jan 1990", "France": "2 Nov 2026"}))
        world.assert_the_news_went_out_alone(run, "1990", "participation", held=2)
        reasons = " ".join(item.description for item in ReviewItem.objects.filter(kind=ReviewKind.HELD))
        assert "a kind of action XVIII-16 was not tracked with" in reasons
        assert "its participation is dated 01 Jan 1990, before the treaty was adopted" in reasons
        [facts] = ReviewItem.objects.filter(kind=ReviewKind.TREATY_FACTS)
        assert "now has a column for participation" in facts.description
        assert not Action.objects.filter(kind="participation").exists()


class WithdrawalTests:
    def test_brackets_around_a_counted_instrument_wait_for_staff_then_are_announced_once(self, world: World, staff):
        world.poll(hanoi_file(with_instruments(hanoi_rows(), {"Ghana": "2 Nov 2026"})))
        assert world.status()["counted"] == 1 and len(world.mail()) == 1
        run = world.poll(news_file(instruments={"Ghana": "[ 2 Nov 2026 ]"}))
        assert world.status()["counted"] == 3  # Ghana still counts, with the news
        assert "Parties: 1 → 3." in world.diff_page(run)
        [item] = ReviewItem.objects.filter(kind=ReviewKind.HELD)
        assert "a change that lowers a count waits for staff" in item.description
        assert not Action.objects.get(participant__code="GHA", kind="ratification").withdrawn
        assert len(world.mail()) == 2 and "withdr" not in world.mail()[1]

        with world.on_commit(execute=True):
            review_settle(item=item, resolution=ReviewResolution.ACCEPTED, user=staff, note="C.N.9.2026: withdrawn")
        assert world.status()["counted"] == 2
        assert Action.objects.get(participant__code="GHA", kind="ratification").withdrawn
        assert "Ghana" in world.mail()[2] and len(world.mail()) == 3
        assert world.hooks()[-1]["data"]["withdrawal"] is True
        # The next poll of the same file announces nothing more.
        world.poll(news_file(instruments={"Ghana": "[ 2 Nov 2026 ]"}).replace(b"</Rows>", b"\n</Rows>"))
        assert len(world.mail()) == 3

    def test_an_instrument_gone_from_the_file_stays_counted_until_staff_confirm(self, world: World, staff):
        world.poll(hanoi_file(with_instruments(hanoi_rows(), {"Ghana": "2 Nov 2026"})))
        run = world.poll(news_file())  # Ghana's instrument is gone
        assert world.status()["counted"] == 3
        assert "Parties: 1 → 3." in world.diff_page(run)
        item = ReviewItem.objects.get(kind=ReviewKind.DISAPPEARED, action__kind="ratification")
        with world.on_commit(execute=True):
            review_settle(item=item, resolution=ReviewResolution.CONFIRMED, user=staff, note="C.N.9.2026")
        assert world.status()["counted"] == 2 and len(world.mail()) == 3
        world.poll(news_file().replace(b"</Rows>", b"\n</Rows>"))  # still gone: nothing new to settle
        assert ReviewItem.objects.filter(kind=ReviewKind.DISAPPEARED, resolved_at__isnull=True).count() == 0
        assert len(world.mail()) == 3
        with pytest.raises(Exception, match="already settled"):
            review_settle(item=item, resolution=ReviewResolution.CONFIRMED, user=staff, note="again")
