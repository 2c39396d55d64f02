"""An old treaty's baseline is history, taken as the UN printed it; what comes after is checked.

The Convention on Crimes against Internationally Protected Persons (XVIII-7, 1973) as a file of
the 1980s printed it: the Union of Soviet Socialist Republics, the Byelorussian and Ukrainian
SSRs and Yugoslavia (whose dates its end note 1 gives), instead of their successors.
"""

from __future__ import annotations

import datetime

import pytest

from ratification.models import Action, Participant, ReviewItem, ReviewKind, Treaty
from ratification.services.reconcile import status_reconcile
from scrapers.untc import parse_status
from tests.scrapers.test_corpus import CORPUS

pytestmark = pytest.mark.django_db

NOTE = "&lt;superscript&gt;{}&lt;/superscript&gt;"
RENAMED = {
    "<Entry>Russian Federation</Entry>": "<Entry>Union of Soviet Socialist Republics</Entry>",
    "<Entry>Belarus</Entry>": "<Entry>Byelorussian Soviet Socialist Republic</Entry>",
    f"<Entry>Ukraine{NOTE.format(11)}</Entry>": "<Entry>Ukrainian Soviet Socialist Republic</Entry>",
}
SERBIA = f"<Entry>Serbia{NOTE.format(1)}</Entry>\n{' ' * 16}<Entry />\n{' ' * 16}<Entry>12 Mar 2001 d</Entry>"
YUGOSLAVIA = "<Entry>Yugoslavia</Entry><Entry>17 Dec 1974</Entry><Entry>29 Dec 1976</Entry>"


def file_of_the_1980s(*extra_rows: str) -> bytes:
    text = (CORPUS / "XVIII-7.en.xml").read_bytes().decode("iso-8859-1")
    for old, new in {**RENAMED, SERBIA: YUGOSLAVIA}.items():
        assert old in text, old
        text = text.replace(old, new)
    # Yugoslavia signed: one signatory more than the 2018 file declares.
    text = text.replace("<Signatories>25</Signatories>", "<Signatories>26</Signatories>")
    rows = "".join(f"<Row>{row}</Row>" for row in extra_rows)
    parties = 180 + len(extra_rows)  # each extra row holds an instrument
    text = text.replace("<Parties>180</Parties>", f"<Parties>{parties}</Parties>")
    return text.replace("</Rows>", f"{rows}</Rows>").encode("iso-8859-1")


@pytest.fixture
def tracked() -> Treaty:
    treaty = Treaty.objects.create(mtdsg="XVIII-7", chapter="XVIII", title="", xml_path="x")
    status_reconcile(treaty=treaty, status=parse_status(file_of_the_1980s()))
    Treaty.objects.filter(pk=treaty.pk).update(source_hash="baseline")
    return Treaty.objects.get(pk=treaty.pk)


class OldTreatyBaselineTests:
    def test_the_baseline_stores_the_ussr_and_yugoslavia_with_no_review_item(self, tracked):
        assert not ReviewItem.objects.exists()
        ussr = Action.objects.get(treaty=tracked, participant__code="SUN", kind="ratification")
        assert (
            ussr.date == datetime.date(1976, 1, 15) and ussr.participant.name == "Union of Soviet Socialist Republics"
        )
        assert Action.objects.get(treaty=tracked, participant__code="YUG", kind="signature").date.year == 1974
        # Renamed States are their successors under an older name, not former States.
        assert Participant.objects.get(name="Byelorussian Soviet Socialist Republic").code == "BLR"
        assert (tracked.adopted_on, tracked.admits_reio) == (datetime.date(1973, 12, 14), False)
        assert {"signature", "ratification", "accession", "succession"} <= set(tracked.action_kinds)

    def test_after_the_baseline_a_former_state_new_to_the_treaty_is_held(self, tracked):
        row = "<Entry>German Democratic Republic</Entry><Entry /><Entry>30 Nov 1976 a</Entry>"
        result = status_reconcile(treaty=tracked, status=parse_status(file_of_the_1980s(row)))
        [item] = result.held
        assert item.data["reasons"] == ["German Democratic Republic is a former State (it existed until 1990-10-02)"]
        assert not Participant.objects.filter(code="DDR").exists()

    def test_a_stored_former_state_acting_after_it_ceased_to_exist_is_held(self, tracked):
        data = file_of_the_1980s().replace(
            b"<Entry>Yugoslavia</Entry><Entry>17 Dec 1974</Entry><Entry>29 Dec 1976</Entry>",
            b"<Entry>Yugoslavia</Entry><Entry>17 Dec 1974</Entry><Entry>29 Dec 1996</Entry>",
        )
        [item] = status_reconcile(treaty=tracked, status=parse_status(data)).held
        assert "Yugoslavia ceased to exist on 1992-04-26: it cannot act on 1996-12-29" in item.data["reasons"]
        assert Action.objects.get(participant__code="YUG", kind="ratification").date.year == 1976
        assert not ReviewItem.objects.filter(kind=ReviewKind.DISAPPEARED).exists()
