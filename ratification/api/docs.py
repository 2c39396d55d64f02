"""What the OpenAPI schema says about each endpoint: summaries, descriptions, examples."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema

from ratification.api import examples
from ratification.api.filters import MTDSG_PATTERN

TAG_TREATIES = "treaties"
TAG_CHANGES = "changes"
TAG_STAFF = "staff"

SYNC = _(
    "\n\n**Incremental sync.** Rows come oldest first by default, and every page carries "
    "`sync_since`. Follow `next` until it is null, upserting each row by its key; then keep "
    "`sync_since` and, next time, send it as `since` (inclusive). `sync_since` is the latest "
    "change in the list less five minutes, so a row stamped by a transaction that commits after "
    "your crawl passed its place is not missed; you will see a few rows twice. It is null while "
    "nothing matches. Rows are never deleted: a withdrawn action stays, with `withdrawn: true`."
)

MTDSG = OpenApiParameter(
    "mtdsg",
    str,
    OpenApiParameter.PATH,
    required=True,
    pattern=f"^{MTDSG_PATTERN}$",
    description=_("The treaty's MTDSG number, e.g. XVIII-16."),
    examples=[OpenApiExample("The UN Convention against Cybercrime", value="XVIII-16")],
)

TREATY_LIST = extend_schema(
    summary=_("List the treaties followed"),
    description=_(
        "Every treaty the tracker follows, by MTDSG number, each with its entry-into-force rule and "
        "its computed status (the same numbers as its status page)."
    ),
    tags=[TAG_TREATIES],
    examples=examples.TREATY_EXAMPLES,
)
TREATY_DETAIL = extend_schema(
    summary=_("Get one treaty, its rule and computed status"),
    parameters=[MTDSG],
    description=_(
        "`status` applies the treaty's rule to the instruments stored: how many count, how many are "
        "still needed, the date the threshold was reached and the general entry-into-force date "
        "(null until computable). `rule` is the clause as data."
    ),
    tags=[TAG_TREATIES],
    examples=examples.TREATY_EXAMPLES,
)
PARTICIPANT_LIST = extend_schema(
    summary=_("List a treaty's participants"),
    parameters=[MTDSG],
    description=_(
        "Each State or organisation that signed or deposited an instrument, by code: where it stands "
        "(`counted`, `party`, `signatory`, `withdrawn`), its actions, and the date the treaty enters "
        "into force for it. Sorted by code."
    ),
    tags=[TAG_TREATIES],
    examples=examples.PARTICIPANT_EXAMPLES,
)
ACTION_LIST = extend_schema(
    summary=_("List signatures and instruments"),
    description=format_lazy(
        "{}{}",
        _(
            "Every action of every treaty (or of those named by `treaty`), filtered by kind, participant and "
            "date. (`treaty`, `participant`, `kind`) identifies an action; `updated_at` changes when the "
            "source corrects it."
        ),
        SYNC,
    ),
    tags=[TAG_CHANGES],
    examples=examples.ACTION_EXAMPLES,
)
EVENT_LIST = extend_schema(
    summary=_("List changes as they were recorded"),
    description=format_lazy(
        "{}{}{}{}",
        _(
            "What the tracker noticed, in the order it recorded it: new instruments and signatures, "
            "withdrawals, the threshold reached, entry into force. `occurred_on` is the date of the action "
            "or milestone; `recorded_at` when the tracker saw it. `id` identifies an event. Corrections and "
            "renames are listed for staff only."
        ),
        " ",
        _(
            "`stage_reported` is a national step (a parliament's approval, a law) a national source reports and "
            "staff recorded: never a UN action, and it changes no count or date. `statement_made`, "
            "`statement_changed` and `statement_withdrawn` are a reservation, declaration, objection, notification "
            "or territorial application: `data` gives its `kinds`, `articles` and, for an objection, the "
            "statements it `answers`; the statements themselves are at /api/v1/treaties/{mtdsg}/declarations/."
        ),
        SYNC,
    ),
    tags=[TAG_CHANGES],
    examples=examples.EVENT_EXAMPLES,
)
POLL_RUN_LIST = extend_schema(
    summary=_("List reads of the source (staff only)"),
    description=_(
        "Every attempt to read a treaty's UNTC file, newest first, with its outcome. Staff only: log in "
        "at /admin/ and the session cookie authenticates you."
    ),
    tags=[TAG_STAFF],
    examples=examples.POLL_RUN_EXAMPLES,
)
