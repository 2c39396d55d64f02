"""What a statement event says, in the reader's language: "France formulated a reservation to
article 22", "Germany objected to France's reservation", "France withdrew its reservation to
article 22". The pages, the feed, the e-mails, the webhooks and chat all say it with these.

Whole sentences per case, so translators see the word order they need; the lists inside them
("articles 22 and 40", "a reservation and a declaration") are joined by `joined`.
"""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from ratification.models import Event, EventKind, StatementKind

#: "a reservation": what a sentence made of several kinds lists.
ONE_OF = {
    StatementKind.RESERVATION: gettext_lazy("a reservation"),
    StatementKind.DECLARATION: gettext_lazy("a declaration"),
    StatementKind.UNDERSTANDING: gettext_lazy("an understanding"),
    StatementKind.OBJECTION: gettext_lazy("an objection"),
    StatementKind.NOTIFICATION: gettext_lazy("a notification"),
    StatementKind.TERRITORIAL_APPLICATION: gettext_lazy("a territorial application"),
}
#: Column headings of the table by article, and the kind filter's options.
PLURAL = {
    StatementKind.RESERVATION: pgettext_lazy("statements", "Reservations"),
    StatementKind.DECLARATION: pgettext_lazy("statements", "Declarations"),
    StatementKind.UNDERSTANDING: pgettext_lazy("statements", "Understandings"),
    StatementKind.OBJECTION: pgettext_lazy("statements", "Objections"),
    StatementKind.NOTIFICATION: pgettext_lazy("statements", "Notifications"),
    StatementKind.TERRITORIAL_APPLICATION: pgettext_lazy("statements", "Territorial applications"),
    StatementKind.WITHDRAWAL: pgettext_lazy("statements", "Withdrawals"),
}
# What was made, citing articles / citing none: clauses a sentence joins after the participant
# ("France formulated a reservation to article 22 and made a declaration on article 40").
MADE = {
    StatementKind.RESERVATION: (
        pgettext_lazy("clause after a State's name", "formulated a reservation to %(articles)s"),
        pgettext_lazy("clause after a State's name", "formulated a reservation"),
    ),
    StatementKind.DECLARATION: (
        pgettext_lazy("clause after a State's name", "made a declaration on %(articles)s"),
        pgettext_lazy("clause after a State's name", "made a declaration"),
    ),
    StatementKind.UNDERSTANDING: (
        pgettext_lazy("clause after a State's name", "stated its understanding of %(articles)s"),
        pgettext_lazy("clause after a State's name", "stated an understanding"),
    ),
    StatementKind.NOTIFICATION: (
        pgettext_lazy("clause after a State's name", "made a notification under %(articles)s"),
        pgettext_lazy("clause after a State's name", "made a notification"),
    ),
    StatementKind.OBJECTION: (
        pgettext_lazy("clause after a State's name", "made an objection concerning %(articles)s"),
        pgettext_lazy("clause after a State's name", "made an objection"),
    ),
}
# What an objection answers: "Germany objected to France's reservation".
OBJECTED_TO = {
    "reservation": gettext_lazy("%(participant)s objected to %(other)s's reservation"),
    "declaration": gettext_lazy("%(participant)s objected to %(other)s's declaration"),
    "statement": gettext_lazy("%(participant)s objected to %(other)s's statement"),
}
WITHDREW = {
    StatementKind.RESERVATION: (
        gettext_lazy("%(participant)s withdrew its reservation to %(articles)s"),
        gettext_lazy("%(participant)s withdrew its reservation"),
    ),
    StatementKind.DECLARATION: (
        gettext_lazy("%(participant)s withdrew its declaration on %(articles)s"),
        gettext_lazy("%(participant)s withdrew its declaration"),
    ),
    StatementKind.UNDERSTANDING: (
        gettext_lazy("%(participant)s withdrew its understanding of %(articles)s"),
        gettext_lazy("%(participant)s withdrew its understanding"),
    ),
    StatementKind.OBJECTION: (
        gettext_lazy("%(participant)s withdrew its objection concerning %(articles)s"),
        gettext_lazy("%(participant)s withdrew its objection"),
    ),
    StatementKind.NOTIFICATION: (
        gettext_lazy("%(participant)s withdrew its notification under %(articles)s"),
        gettext_lazy("%(participant)s withdrew its notification"),
    ),
    StatementKind.TERRITORIAL_APPLICATION: (
        gettext_lazy("%(participant)s withdrew its territorial application"),
        gettext_lazy("%(participant)s withdrew its territorial application"),
    ),
}
#: Territories named in a sentence are cut to this many characters (the text has them all).
TERRITORIES_IN_A_SENTENCE = 80


def joined(items: list[str]) -> str:
    """'22', '22 and 40', '17, 19 and 22': a list as a sentence says it, in the active language."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def articles_phrase(articles: list[str]) -> str:
    """'article 22', 'articles 22(4) and 40'."""
    return ngettext("article %(articles)s", "articles %(articles)s", len(articles)) % {"articles": joined(articles)}


def kind_label(kind: str) -> str:
    try:
        return str(StatementKind(kind).label)
    except ValueError:
        return kind


def kinds_label(kinds: list[str]) -> str:
    """'Reservation, declaration': a statement's kinds, for a line of facts."""
    return capfirst(", ".join(kind_label(kind) for kind in kinds))


def _who(event: Event) -> str:
    return event.participant.name if event.participant_id else _("A participant")


def _others(event: Event) -> list[tuple[str, str]]:
    """(name, kind) of each statement a new objection answers, as the objection names them."""
    answers = (event.data or {}).get("answers") or []
    return [(str(a.get("name", "")).removeprefix("the "), a.get("kind", "statement")) for a in answers]


def statement_sentence(event: Event) -> str:
    """The event in one sentence, without a full stop."""
    data = event.data or {}
    who = _who(event)
    kinds = [kind for kind in data.get("kinds", []) if kind != StatementKind.WITHDRAWAL]
    articles = list(data.get("articles") or [])
    names = {"participant": who, "articles": articles_phrase(articles) if articles else ""}
    if event.kind == EventKind.STATEMENT_CHANGED:
        return _("%(participant)s changed the text of its statement (%(kinds)s)") % {
            "participant": who,
            "kinds": ", ".join(kind_label(kind) for kind in kinds) or kind_label(StatementKind.DECLARATION),
        }
    if event.kind == EventKind.STATEMENT_WITHDRAWN:
        if len(kinds) == 1 and kinds[0] in WITHDREW:
            with_articles, without = WITHDREW[kinds[0]]
            return str(with_articles if articles else without) % names
        return _("%(participant)s withdrew %(statements)s") % {
            "participant": who,
            "statements": joined([str(ONE_OF.get(kind, kind)) for kind in kinds]) or _("a statement"),
        }
    others = _others(event)
    if StatementKind.OBJECTION in kinds and others:
        kind = others[0][1]
        other = joined([n for n, k in others if k == kind])
        return str(OBJECTED_TO.get(kind, OBJECTED_TO["statement"])) % {"participant": who, "other": other}
    if kinds == [StatementKind.TERRITORIAL_APPLICATION]:
        territories = event.statement.text if event.statement_id else ""
        if len(territories) > TERRITORIES_IN_A_SENTENCE:
            territories = territories[: TERRITORIES_IN_A_SENTENCE - 1].rstrip(" ,;") + "…"
        if territories:
            return _("%(participant)s extended the treaty to %(territories)s") % {
                "participant": who,
                "territories": territories,
            }
        return _("%(participant)s extended the treaty to a territory") % {"participant": who}
    # Which articles each kind cites; an event recorded without them names the articles only for a
    # single kind (the facts line lists them all).
    fallback = [(kind, articles if len(kinds) == 1 else []) for kind in kinds]
    parts = [(kind, list(cited)) for kind, cited in data.get("parts") or fallback]
    clauses = [
        str(MADE[kind][0] if cited else MADE[kind][1]) % {"articles": articles_phrase(cited) if cited else ""}
        for kind, cited in parts
        if kind in MADE
    ]
    if not clauses:
        clauses = [str(MADE[StatementKind.DECLARATION][1])]
    # Translators: a State's name, then what it did ("formulated a reservation to article 22 and
    # made a declaration on article 40").
    return _("%(participant)s %(clauses)s") % {"participant": who, "clauses": joined(clauses)}


def statement_facts(event: Event) -> str:
    """The facts a line of the history or the feed adds: kinds, articles, the statement's date."""
    data = event.data or {}
    facts = []
    kinds = data.get("statement_kinds") or data.get("kinds") or []
    if kinds:
        facts.append(kinds_label(kinds) + ".")
    if data.get("articles"):
        facts.append(capfirst(articles_phrase(data["articles"])) + ".")
    if data.get("date"):
        day = formats.date_format(datetime.date.fromisoformat(data["date"]), "DATE_FORMAT")
        facts.append(_("Dated %(date)s.") % {"date": day})
    elif event.kind == EventKind.STATEMENT_WITHDRAWN:
        facts.append(
            _("Found gone from the UN's record on %(date)s.")
            % {"date": formats.date_format(event.occurred_on, "DATE_FORMAT")}
        )
    return " ".join(facts)


def quote(text: str, *, lines: int = 3, characters: int = 400) -> str:
    """The first lines of a statement, as an e-mail quotes them ("…" where it is cut)."""
    kept = text.splitlines()[:lines]
    quoted = "\n".join(kept)
    if len(quoted) > characters:
        quoted = quoted[: characters - 1].rstrip() + "…"
    elif len(kept) < len(text.splitlines()):
        quoted += " …"
    return quoted
