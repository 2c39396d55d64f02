"""Staff settle a held statement as they settle a held row (services/held_rows.py): accepting or
mapping it records the statement under its participant with the event the poll would have
recorded (announced unless it belonged to the treaty's baseline); rejecting records nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ratification.models import Event, Participant, ReviewItem, Statement, Treaty
from ratification.services.statement_identity import answer_code
from ratification.services.statements import EVENT_KINDS, baseline_dates
from scrapers import model as untc
from scrapers.statement_diff import WITHDRAWN, change_of


def _parsed(data: dict) -> untc.Statement:
    held = data["statement"]
    return untc.Statement(
        section=held["section"],
        participant=held["participant"],
        kinds=tuple(held["kinds"]),
        articles=tuple(held["articles"]),
        date=datetime.date.fromisoformat(held["date"]) if held["date"] else None,
        text=held["text"],
        footnotes=tuple(held.get("footnotes", ())),
        answers=tuple(tuple(answer) for answer in held.get("answers", ())),
    )


def held_statement_plan(
    *, item: ReviewItem, treaty: Treaty, participant: Participant, today: datetime.date
) -> tuple[list[Statement], list[Event]]:
    """The statement accepting `item` records under `participant`, and its event; nothing saved."""
    statement = _parsed(item.data)
    if (
        participant.pk
        and Statement.objects.filter(
            treaty=treaty, participant=participant, section=statement.section, text=statement.text, withdrawn_on=None
        ).exists()
    ):
        raise ValidationError(
            _("%(participant)s already has this statement: reject this item.") % {"participant": participant.name}
        )
    by_name = {participant.name: participant}
    row = Statement(
        treaty=treaty,
        participant=participant,
        section=statement.section,
        kinds=list(statement.kinds),
        articles=list(statement.articles),
        date=statement.date,
        text=statement.text,
        footnotes=list(statement.footnotes),
        answers=[{"name": n, "kind": k, "code": answer_code(n, by_name)} for n, k in statement.answers],
        position=item.data["statement"].get("position", 0),
    )
    announce = not item.data.get("baseline")
    stands_from = None if announce or not participant.pk else baseline_dates(treaty=treaty).get(participant.pk)
    row.since = statement.date or stands_from or today
    change = change_of(None, statement, title=treaty.title)
    data = {
        "section": row.section,
        "kinds": list(change.kinds),
        "articles": list(change.articles),
        "answers": row.answers,
        "statement_kinds": row.kinds,
        "parts": [[kind, list(articles)] for kind, articles in change.parts],
        "date": row.date.isoformat() if row.date else None,
        **({} if announce else {"baseline": True}),
    }
    event = Event(
        treaty=treaty,
        kind=EVENT_KINDS[change.change],
        participant=participant,
        statement=row,
        occurred_on=(row.date if change.change != WITHDRAWN else None) or today,
        public=announce,
        data=data,
    )
    return [row], [event]


def held_statements_save(*, statements: list[Statement], user, reason: str) -> None:
    """Save the planned statements; their events, which point at them, are recorded by the
    caller (`events_record`; Django takes each statement's new id when the event is saved)."""
    for row in statements:
        row._history_user, row._change_reason = user, reason
        row.save()
