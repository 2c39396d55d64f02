"""Each surprise through the whole path: a stand-in for treaties.un.org, a poll, then the pages,
the feed, the API, `treaty_status` and the alerts of a real SMTP server (aiosmtpd).

After a normal baseline, each poll brings one surprise and, in the same file, a real new
accession by a State that never signed (from 1 January 2027 the only way to join XVIII-16).
The surprise is held (not shown, not counted, not mailed); the accession is published,
counted and mailed. Accepting a held row in the admin then announces it exactly once.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ratification.models import PollOutcome, ReviewItem, ReviewKind, Treaty
from ratification.services.polling import poll_treaty
from tests.alerts.news_world import standing_alone
from tests.alerts.world import subscribe
from tests.support.http_server import ok
from tests.support.untc_files import URL_PATH, Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db

#: Mauritius never signed; its accession is real news.
ACCESSION = Row("Mauritius", "", "20 Nov 2026 a")


class World:
    """The treaty after its baseline read, a subscriber, and what the public sees."""

    def __init__(self, treaty: Treaty, untc, smtp_sink, on_commit) -> None:
        self.treaty, self.untc, self.smtp, self.on_commit = treaty, untc, smtp_sink, on_commit
        self.browser = Client()

    def poll(self, data: bytes, *, from_file: bool = False) -> str:
        """Poll the stand-in UNTC serving `data`, or read `data` as `poll_treaty --file` does
        (the HTTP fetch stops at 5 MB, a file is read up to the parser's 8 MB)."""
        self.untc.routes[URL_PATH] = [ok(data)]
        treaty = Treaty.objects.get(pk=self.treaty.pk)
        with self.on_commit(execute=True):
            return poll_treaty(treaty=treaty, content=data if from_file else None).run.outcome

    def status(self) -> dict:
        out = StringIO()
        call_command("treaty_status", "XVIII-16", "--json", stdout=out)
        return json.loads(out.getvalue())

    def public_text(self) -> str:
        """The status page, the participant's page, the feed and the API, as one text."""
        pages = ["/", "/feeds/XVIII-16.atom", "/api/v1/actions/?treaty=XVIII-16&page_size=200", "/api/v1/events/"]
        pages += ["/api/v1/treaties/XVIII-16/participants/?page_size=200", "/treaties/XVIII-16/participants.csv"]
        texts = []
        for path in pages:
            response = self.browser.get(path)
            assert response.status_code == 200, path
            texts.append(response.content.decode())
        return "\n".join(texts)

    def mail(self) -> list[str]:
        return [m.get_body(preferencelist=("plain",)).get_content() for m in self.smtp.to("ada@example.org")]

    def assert_only_the_accession_went_out(self, *absent: str) -> None:
        status = self.status()
        assert (status["counted"], status["parties"], status["held_for_review"]) == (1, 1, 1)
        public = self.public_text()
        assert "Mauritius" in public
        for text in absent:
            assert not standing_alone(text, public), text
        [alert] = self.mail()
        assert "Mauritius acceded" in alert
        for text in absent:
            assert not standing_alone(text, alert), text


@pytest.fixture
def world(treaty, untc, smtp_sink, eager_celery, django_capture_on_commit_callbacks) -> World:
    subscribe("ada@example.org", treaty)
    world = World(treaty, untc, smtp_sink, django_capture_on_commit_callbacks)
    world.poll(hanoi_file(hanoi_rows()))  # the baseline: recorded, not announced
    assert world.mail() == []
    return world


@pytest.fixture
def staff() -> Client:
    """A logged-in member of staff's browser."""
    from django.contrib.auth.models import User

    browser = Client()
    browser.force_login(User.objects.create_superuser("ada", "ada@example.org", "a long staff password"))
    return browser


def held(*rows: Row, instruments: dict[str, str] | None = None) -> bytes:
    return hanoi_file([*with_instruments(hanoi_rows(), instruments or {}), ACCESSION, *rows])


class SurpriseTests:
    def test_a_name_nobody_goes_by_is_held(self, world):
        assert world.poll(held(Row("Testland", "", "20 Nov 2026 a"))) == PollOutcome.CHANGED
        world.assert_only_the_accession_went_out("Testland")
        [item] = ReviewItem.objects.filter(kind=ReviewKind.HELD)
        assert item.data["reasons"] == ["the name is not a participant, State or organisation the tracker knows"]

    def test_a_ratification_dated_in_the_future_is_held(self, world):
        world.poll(held(instruments={"Ghana": "3 Mar 2031"}))
        world.assert_only_the_accession_went_out("2031")
        assert "in the future" in ReviewItem.objects.get(kind=ReviewKind.HELD).description

    def test_a_ratification_dated_before_the_convention_was_adopted_is_held(self, world):
        world.poll(held(instruments={"France": "2 Dec 2024"}))
        world.assert_only_the_accession_went_out("2024-12-02", "2 December 2024")
        assert "before the treaty was adopted (2024-12-24)" in ReviewItem.objects.get(kind=ReviewKind.HELD).description

    @pytest.mark.parametrize("spelling", ["Fr\u200bance", "\u202eFrance", "France\u2066"])
    def test_a_known_name_spelt_with_invisible_characters_is_held_not_new(self, world, spelling: str):
        world.poll(held(Row(spelling, "", "20 Nov 2026")))
        world.assert_only_the_accession_went_out(spelling, "France ratified")
        item = ReviewItem.objects.get(kind=ReviewKind.HELD)
        assert item.participant.name == "France"
        assert "<U+" in item.data["printed_name"] and spelling not in json.dumps(item.data, ensure_ascii=False)

    def test_a_mis_decoded_name_is_held_as_mojibake_of_the_real_one(self, world):
        # A UTF-8 file whose Côte d'Ivoire row went through a Latin-1 decoder once too often.
        rows = [
            Row("C\u00c3\u00b4te d'Ivoire" if r.name == "Côte d'Ivoire" else r.name, r.signature) for r in hanoi_rows()
        ]
        text = hanoi_file([*rows, ACCESSION]).decode("iso-8859-1").replace('encoding="iso-8859-1"', 'encoding="utf-8"')
        world.poll(text.encode("utf-8"))
        world.assert_only_the_accession_went_out("C\u00c3\u00b4te")
        item = ReviewItem.objects.get(kind=ReviewKind.HELD)
        assert item.data["reasons"] == ['the name looks like a mis-decoded (mojibake) spelling of "Côte d\'Ivoire"']
        assert item.data["resembles"] == world.treaty.actions.get(participant__code="CIV").participant_id
        # Held, not gone: no "disappeared" item for the real Côte d'Ivoire.
        assert not ReviewItem.objects.filter(kind=ReviewKind.DISAPPEARED).exists()


class FileBoundsTests:
    def test_a_utf_8_file_declaring_iso_8859_1_never_turns_names_into_mojibake(self, world):
        text = hanoi_file([*hanoi_rows(), ACCESSION]).decode("iso-8859-1")
        assert world.poll(text.encode("utf-8")) == PollOutcome.CHANGED
        public = world.public_text()
        assert "Côte d&#x27;Ivoire" in public or "Côte d'Ivoire" in public
        assert "Türkiye" in public and "\u00c3" not in public
        assert world.status()["held_for_review"] == 0

    @pytest.mark.parametrize("length", [201, 5_000, 7_000_000])
    def test_a_name_too_long_refuses_the_file_with_a_reason_never_a_database_error(self, world, length: int):
        data = hanoi_file([*hanoi_rows(), ACCESSION, Row("A" * length, "", "20 Nov 2026 a")])
        outcome = world.poll(data, from_file=length > 5_000)
        assert outcome == PollOutcome.FAILED_VALIDATION
        run = world.treaty.poll_runs.first()
        assert f"the participant name has {length} characters, over the 200-character limit" in run.error
        assert world.status()["counted"] == 0 and world.mail() == []


class AcceptingTests:
    def test_accepting_a_held_row_in_the_admin_announces_it_exactly_once(self, world, staff):
        world.poll(held(Row("Testland", "", "20 Nov 2026 a")))
        item = ReviewItem.objects.get(kind=ReviewKind.HELD)
        page = reverse("admin:ratification_reviewitem_change", args=[item.pk])
        decision = {"decision": "accepted", "note": "C.N.501.2026: Testland is a new Member State"}
        asked = staff.post(page, decision).content.decode()
        assert "This will e-mail 1 subscriber." in asked
        with world.on_commit(execute=True):
            assert staff.post(page, {**decision, "_confirmed": "yes"}).status_code == 302
        with world.on_commit(execute=True):
            assert staff.post(page, {**decision, "_confirmed": "yes"}).status_code == 200  # already settled
        first, second = world.mail()
        assert "Mauritius acceded" in first and "Testland" not in first
        assert "Testland acceded" in second
        assert (world.status()["counted"], world.status()["held_for_review"]) == (2, 0)
        assert "Testland" in world.public_text()
