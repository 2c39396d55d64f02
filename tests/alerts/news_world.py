"""XVIII-16 after a normal baseline, followed as the public follows it: the status page, the
feed, the API, the CSV export, each poll's diff and source pages, a subscriber's mailbox on a
real SMTP server (aiosmtpd) and a real webhook receiver.

Each poll of the issue 22 tests brings an attack and, in the same file, real news: Mauritius
(which never signed) accedes and Brazil (a Hanoi signatory) ratifies. The news must be
published, counted and announced; the attack held, and absent from all of the above.
"""

from __future__ import annotations

import json
import re
from io import StringIO

from django.core.management import call_command
from django.test import Client

from ratification.models import PollRun, Treaty
from ratification.services.polling import poll_treaty
from tests.support.http_server import ok
from tests.support.untc_files import URL_PATH, Row, hanoi_file, hanoi_rows, with_instruments

ACCESSION = Row("Mauritius", "", "20 Nov 2026 a")
RATIFIER, RATIFIED_ON = "Brazil", "23 Nov 2026"
HOOK = "/hook"


def news_file(
    *, instruments: dict[str, str] | None = None, extra: tuple[Row, ...] = (), first: tuple[Row, ...] = ()
) -> bytes:
    """The XVIII-16 file with the real news, `instruments` filled in, and `extra` rows at the end
    (`first` ones at the top)."""
    rows = with_instruments(hanoi_rows(), {RATIFIER: RATIFIED_ON, **(instruments or {})})
    return hanoi_file([*first, *rows, ACCESSION, *extra])


class World:
    """The treaty after its baseline read, a subscriber, a webhook, and what the public sees."""

    def __init__(self, treaty: Treaty, untc, smtp_sink, receiver, on_commit) -> None:
        self.treaty, self.untc, self.smtp, self.receiver, self.on_commit = treaty, untc, smtp_sink, receiver, on_commit
        self.browser = Client()

    def poll(self, data: bytes) -> PollRun:
        self.untc.routes[URL_PATH] = [ok(data)]
        with self.on_commit(execute=True):
            return poll_treaty(treaty=Treaty.objects.get(pk=self.treaty.pk)).run

    def status(self) -> dict:
        out = StringIO()
        call_command("treaty_status", "XVIII-16", "--json", stdout=out)
        return json.loads(out.getvalue())

    def get(self, path: str) -> str:
        response = self.browser.get(path)
        assert response.status_code == 200, path
        return response.content.decode()

    def public_text(self, run: PollRun | None = None) -> str:
        """Every public page and export, and the poll's diff and source pages, as one text."""
        paths = ["/", "/feeds/XVIII-16.atom", "/api/v1/actions/?treaty=XVIII-16&page_size=200", "/api/v1/events/"]
        paths += ["/api/v1/treaties/XVIII-16/participants/?page_size=200", "/treaties/XVIII-16/participants.csv"]
        paths += ["/treaties/XVIII-16/history/", "/treaties/XVIII-16/badge.svg"]
        if run is not None:
            paths += [f"/treaties/XVIII-16/history/{run.pk}/diff/", f"/sources/{run.snapshot.sha256}/"]
        return "\n".join(self.get(path) for path in paths)

    def diff_page(self, run: PollRun) -> str:
        return self.get(f"/treaties/XVIII-16/history/{run.pk}/diff/")

    def mail(self) -> list[str]:
        return [m.get_body(preferencelist=("plain",)).get_content() for m in self.smtp.to("ada@example.org")]

    def hooks(self) -> list[dict]:
        return [received.json for received in self.receiver.to(HOOK)]

    def assert_the_news_went_out_alone(self, run: PollRun, *absent: str, held: int = 1) -> None:
        """The accession and the ratification are published, counted and announced (one e-mail,
        one webhook call); nothing of `absent` is anywhere public."""
        status = self.status()
        assert (status["counted"], status["parties"], status["signatories"]) == (2, 2, 72), status
        assert status["held_for_review"] == held, status
        public = self.public_text(run)
        assert "Mauritius" in public and RATIFIER in public
        diff = self.diff_page(run)
        assert "Mauritius" in diff and RATIFIER in diff and "Parties: 0 → 2." in diff
        [alert] = self.mail()
        assert "Mauritius acceded" in alert and f"{RATIFIER} ratified" in alert
        [hook] = self.hooks()
        hooked = json.dumps(hook, ensure_ascii=False)
        assert "Mauritius" in hooked and RATIFIER in hooked
        for text in absent:
            assert not standing_alone(text, public), text
            assert not standing_alone(text, alert), text
            assert not standing_alone(text, hooked), text


def standing_alone(text: str, within: str) -> bool:
    """Whether `text` stands in `within` as a word of its own: a held year "2031" must not show,
    but the pages carry timestamps and hashes whose digits may hold "2031" by chance (.120315)."""
    return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", within) is not None
