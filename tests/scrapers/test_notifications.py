"""Depositary notification references read from the real files' texts and notes."""

from __future__ import annotations

from scrapers.mtdsg import notification_url
from scrapers.notifications import notification_references
from scrapers.untc import parse_status
from tests.support.untc_files import FIXTURES, PARIS, XVIII_16


class NotificationReferenceTests:
    def test_it_reads_the_opening_for_signature_of_the_cybercrime_convention(self):
        header = parse_status(XVIII_16.read_bytes()).header
        (reference,) = notification_references(header.text_section)
        assert (reference.text, reference.number, reference.year) == (
            "C.N.196.2025.TREATIES-XVIII.16 of 13 May 2025",
            196,
            2025,
        )
        assert notification_url("https://treaties.un.org", number=196, year=2025) == (
            "https://treaties.un.org/doc/Publication/CN/2025/CN.196.2025-Eng.pdf"
        )

    def test_it_reads_a_note_s_reference_and_the_older_spellings(self):
        notes = parse_status(PARIS.read_bytes()).end_notes
        cited = [ref.text for note in notes for ref in notification_references(note.text)]
        assert "C.N.819.2016.TREATIES-XXVII.7.d of 1 November 2016" in cited
        older = notification_references("CN.475.2017.TREATIES-XXVI-9 and C.N.488.2004.TREATIES-10.")
        assert [(ref.number, ref.year) for ref in older] == [(475, 2017), (488, 2004)]
        assert FIXTURES.exists()

    def test_text_without_a_reference_gives_none(self):
        assert notification_references("United Nations, Treaty Series, vol. 2237, p. 319") == ()
