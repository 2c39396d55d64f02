"""Store the default treaty (XVIII-16) and its Hanoi signatories from data shipped in the project."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from ratification.models import Action, ActionKind, Origin, RuleBasis, Treaty
from ratification.schedule import treaty_schedule_ensure
from ratification.services.participants import participants_resolve
from scrapers.mtdsg import treaty_xml_path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SIGNATORIES_FILE = DATA_DIR / "xviii-16-signatories.tsv"

# Articles 64-65, the kinds its status file's legends name, and succession (general law).
XVIII_16_KINDS = (
    *("signature", "succession_to_signature"),
    *("ratification", "acceptance", "approval", "accession", "succession"),
)

CYBERCRIME_CONVENTION = {
    "mtdsg": "XVIII-16",
    "chapter": "XVIII",
    "title": (
        "United Nations Convention against Cybercrime; Strengthening International Cooperation for "
        "Combating Certain Crimes Committed by Means of Information and Communications Technology "
        "Systems and for the Sharing of Evidence in Electronic Form of Serious Crimes"
    ),
    "short_title": "UN Convention against Cybercrime",
    "conclusion_place": "New York",
    "conclusion_date": datetime.date(2024, 12, 24),
    "adopted_on": datetime.date(2024, 12, 24),
    # Article 64: open to all States and regional economic integration organizations.
    "admits_reio": True,
    "action_kinds": list(XVIII_16_KINDS),
    "xml_path": treaty_xml_path(mtdsg="XVIII-16"),
    # Article 65: 40 instruments + 90 days; a regional organisation's instrument is not
    # counted; a later party: its deposit + 30 days, or the general date if later. Confirmed
    # here, from the Convention's text: the one treaty whose rule the tracker ships.
    "rule_basis": RuleBasis.CONFIRMED,
    "eif_threshold": 40,
    "eif_delay_days": 90,
    "reio_counts": False,
    "later_party_delay_days": 30,
    # Article 64: open for signature in Hanoi on 25-26 October 2025, then in New York until 31 December 2026.
    "signature_deadline": datetime.date(2026, 12, 31),
    "eif_label": "Not yet in force",
}


@dataclass(frozen=True)
class SeedResult:
    treaty_created: bool
    actions_created: int
    actions_kept: int


@dataclass(frozen=True)
class SeedRow:
    participant: str
    signature: datetime.date
    evidence: str


def seed_rows(path: Path = SIGNATORIES_FILE) -> list[SeedRow]:
    with path.open(encoding="utf-8", newline="") as rows:
        return [
            SeedRow(row["participant"], datetime.date.fromisoformat(row["signature"]), row["evidence"])
            for row in csv.DictReader(rows, delimiter="\t")
        ]


@transaction.atomic
def treaty_seed() -> SeedResult:
    """Create XVIII-16 and its 72 signatures; running it again changes nothing.

    Existing rows are never touched: once the source has confirmed or corrected a date, or
    staff have, the seed must not put the old value back.
    """
    treaty, treaty_created = Treaty.objects.get_or_create(
        mtdsg=CYBERCRIME_CONVENTION["mtdsg"], defaults=CYBERCRIME_CONVENTION
    )
    rows = seed_rows()
    participants = participants_resolve(names=[row.participant for row in rows])
    missing = [row.participant for row in rows if row.participant not in participants]
    if missing:
        raise ValueError(f"{missing[0]!r} is missing from ratification/data/participants.tsv")
    signed = set(
        Action.objects.filter(treaty=treaty, kind=ActionKind.SIGNATURE).values_list("participant_id", flat=True)
    )
    new = [
        Action(
            treaty=treaty,
            participant=participants[row.participant],
            kind=ActionKind.SIGNATURE,
            date=row.signature,
            origin=Origin.SEED,
            provenance=row.evidence,
        )
        for row in rows
        if participants[row.participant].pk not in signed
    ]
    created = _signatures_create(treaty=treaty, actions=new)
    treaty_schedule_ensure(treaty=treaty)
    return SeedResult(treaty_created=treaty_created, actions_created=created, actions_kept=len(rows) - created)


def _signatures_create(*, treaty: Treaty, actions: list[Action]) -> int:
    """Store the missing signatures in a few queries (a query or five per row made the seed cost
    about 400 queries: `make run`, and every test that starts from the seeded treaty, paid it).

    A seed running at the same moment elsewhere may store some first; the database's unique
    constraint refuses the batch then, and each row is taken one by one as it is now.
    """
    try:
        with transaction.atomic():
            bulk_create_with_history(actions, Action)
        return len(actions)
    except IntegrityError:
        created = 0
        for action in actions:
            _, was_created = Action.objects.get_or_create(
                treaty=treaty,
                participant=action.participant,
                kind=action.kind,
                defaults={"date": action.date, "origin": action.origin, "provenance": action.provenance},
            )
            created += was_created
        return created
