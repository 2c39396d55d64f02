"""The domain: treaties, participants, their actions, and the record of reading the source.

Data flows one way (README, "How it is built"): a `PollRun` reads the UNTC file,
the reconcile service turns the differences into `Action` and `Event` rows, and everything
public (pages, feeds, API, e-mails) is built from those rows.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ratification.rules import RuleKind as PureRuleKind
from scrapers import model as untc_model
from scrapers.mtdsg import CHAPTERS, MTDSG_PATTERN, status_page_url

# The one grammar of MTDSG numbers is scrapers/mtdsg.py's; `\Z`, since `$` would let a trailing
# newline through.
MTDSG_VALIDATOR = RegexValidator(
    rf"^(?:{MTDSG_PATTERN})\Z",
    _(
        "An MTDSG number looks like XVIII-16, XXVII-7-d, XI-B-19 or III-2-12b: a chapter from I to XXIX in "
        "Roman numerals, a part letter from A to E for chapter XI only, the treaty's number, and an optional "
        "sub-item (a letter, or an annex's number with an optional letter)."
    ),
)
CHAPTER_VALIDATOR = RegexValidator(
    rf"^(?:{'|'.join(CHAPTERS)})\Z", _("A chapter is a Roman numeral from I to XXIX, such as XVIII.")
)
CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9]{3,8}$", _("A code is an ISO 3166 alpha-3 code (EUU for the European Union).")
)


class CounterField(models.PositiveBigIntegerField):
    """A counter that only `UPDATE ... SET n = n + 1` moves: saving an instance writes `n = n`, so a
    save of a copy read before the last increment can never move the counter back."""

    def pre_save(self, model_instance: models.Model, add: bool):
        return super().pre_save(model_instance, add) if add else F(self.attname)


def default_action_kinds() -> list[str]:
    """What most UN treaties provide for: signature, then ratification, acceptance, approval or
    accession, and succession (which general international law allows for any treaty)."""
    return ["signature", "ratification", "acceptance", "approval", "accession", "succession"]


class RuleKind(models.TextChoices):
    """The kinds of entry-into-force rule (ratification/rules.py computes each)."""

    COUNT = PureRuleKind.COUNT.value, _("the N-th instrument, then a delay")
    MONTH_FOLLOWING = (
        PureRuleKind.MONTH_FOLLOWING.value,
        _("the first day of the month following the expiry of M months after the N-th instrument"),
    )
    GROUP = PureRuleKind.GROUP.value, _("N instruments including K from a named group of participants")
    WEIGHT = PureRuleKind.WEIGHT.value, _("N parties together holding at least P percent of a weight")
    PER_PARTY = PureRuleKind.PER_PARTY.value, _("for each party only, after its own instrument")


class RuleBasis(models.TextChoices):
    """Why the tracker may state a treaty's rule (docs/rules.md, "Known rules"). Nothing else is
    said: a treaty whose rule is not known shows UNTC's own figures and dates only."""

    UNKNOWN = "", _("not known (only UNTC's figures and dates are shown)")
    CONFIRMED = "confirmed", _("confirmed by staff")
    DECLARED_DATE = "declared_date", _("read from its clause, and gives the date UNTC declares")


class Treaty(models.Model):
    """A UN treaty followed by the tracker, with its entry-into-force rule as data."""

    mtdsg = models.CharField(
        _("MTDSG number"),
        max_length=32,
        unique=True,
        validators=[MTDSG_VALIDATOR],
        help_text=_("For example XVIII-16."),
    )
    chapter = models.CharField(_("chapter"), max_length=8, validators=[CHAPTER_VALIDATOR])
    title = models.TextField(_("title"))
    short_title = models.CharField(
        _("short title"),
        max_length=200,
        blank=True,
        help_text=_("Used in e-mail subjects, for example 'the UN Convention against Cybercrime'."),
    )
    conclusion_place = models.CharField(_("place of conclusion"), max_length=200, blank=True)
    conclusion_date = models.DateField(_("date of conclusion"), null=True, blank=True)
    # The treaty's own facts, fixed by the first read and corrected only by staff: a later file
    # that claims otherwise is raised for review, never applied (services/treaty_facts.py).
    adopted_on = models.DateField(
        _("adoption date"),
        null=True,
        blank=True,
        help_text=_(
            "The earliest date an action may bear. Taken from the first file read; a later file claiming an "
            "earlier date is raised for review. Empty: the date of conclusion."
        ),
    )
    admits_reio = models.BooleanField(
        _("a regional organisation may take part"),
        default=False,
        help_text=_(
            "Whether a regional economic integration organization (such as the European Union) may sign or "
            "become a party. Set by the first read when the file lists one; otherwise a new row of such an "
            "organisation is held for review."
        ),
    )
    xml_path = models.CharField(
        _("UNTC XML path"),
        max_length=300,
        help_text=_("Path of the status file under UNTC_BASE_URL, e.g. doc/Publication/MTDSG/Volume%20II/…"),
    )

    # The entry-into-force rule, as data so any treaty can be followed. Empty until known: no
    # treaty borrows another's numbers (XVIII-16's article 65 is confirmed by the seed).
    rule_basis = models.CharField(
        _("rule known"),
        max_length=16,
        choices=RuleBasis.choices,
        default=RuleBasis.UNKNOWN,
        blank=True,
        help_text=_(
            "The pages, the API, the badge and the alerts state the rule below only once it is known: "
            "confirmed by staff, or read from the clause UNTC quotes and giving the date UNTC declares."
        ),
    )
    eif_threshold = models.PositiveIntegerField(_("instruments needed"), null=True, blank=True)
    eif_delay_days = models.PositiveIntegerField(_("days after the last needed instrument"), null=True, blank=True)
    reio_counts = models.BooleanField(
        _("a regional organisation's instrument counts"),
        null=True,
        blank=True,
        help_text=_(
            "Whether an instrument of a regional economic integration organization counts toward the threshold."
        ),
    )
    later_party_delay_days = models.PositiveIntegerField(
        _("days after a later party's deposit"),
        null=True,
        blank=True,
        help_text=_(
            "For a party that deposits after the threshold: its deposit plus these days, or the general date if "
            "later. Empty when the treaty's clause does not say (no date is then given for later parties)."
        ),
    )
    eif_date_override = models.DateField(
        _("entry-into-force date set by staff"),
        null=True,
        blank=True,
        help_text=_(
            "For a treaty UNTC does not (yet) declare in force, when no kind of rule below expresses its clause. "
            "A date UNTC declares is always the one shown."
        ),
    )
    eif_rule_kind = models.CharField(
        _("kind of rule"),
        max_length=16,
        choices=RuleKind.choices,
        default=RuleKind.COUNT,
        help_text=_("What brings the treaty into force; the fields below that the kind does not use are ignored."),
    )
    eif_delay_months = models.PositiveIntegerField(
        _("months after the last needed instrument"),
        default=0,
        help_text=_("Added to the days. For 'the first day of the month following', the M months."),
    )
    later_party_delay_months = models.PositiveIntegerField(
        _("months after a later party's deposit"),
        default=0,
        help_text=_("Added to the days after a later party's deposit (per party only: after each party's)."),
    )
    eif_group_name = models.CharField(
        _("group of participants"), max_length=200, blank=True, help_text=_("For example 'the States of Annex 2'.")
    )
    eif_group_codes = models.JSONField(
        _("codes of the group's participants"), default=list, blank=True, help_text=_("ISO alpha-3 codes.")
    )
    eif_group_threshold = models.PositiveIntegerField(
        _("instruments needed from the group"), default=0, help_text=_("K: how many of the N must come from the group.")
    )
    eif_weight_name = models.CharField(
        _("what the weight measures"),
        max_length=200,
        blank=True,
        help_text=_("For example 'global greenhouse gas emissions'."),
    )
    eif_weight_percent = models.DecimalField(
        _("share needed (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    eif_weights = models.JSONField(
        _("weights"), default=dict, blank=True, help_text=_("Each participant's share in percent, by code.")
    )
    eif_weights_source = models.TextField(
        _("source of the weights"), blank=True, help_text=_("Where the table comes from, so a reader can check it.")
    )
    # The rule read from the clause UNTC quotes (ratification/proposals.py), until staff confirm
    # it: {"rule": {...} or null, "reason", "article", "computed", "declared", "eif_text"}.
    rule_proposal = models.JSONField(_("proposed rule"), default=dict, blank=True, editable=False)
    signature_deadline = models.DateField(_("signature open until"), null=True, blank=True)
    action_kinds = models.JSONField(
        _("kinds of action the treaty provides for"),
        default=default_action_kinds,
        blank=True,
        help_text=_(
            "What its final clauses allow (signature, ratification, acceptance, …). Staff entries of any "
            "other kind are refused; the source is recorded whatever it says."
        ),
    )

    # The header as the source last showed it.
    eif_label = models.CharField(_("source's entry-into-force label"), max_length=200, blank=True)
    eif_text = models.TextField(_("source's entry-into-force text"), blank=True)
    registration = models.CharField(_("registration"), max_length=300, blank=True)
    # The dates UNTC states for a treaty in force (docs/untc-format.md §2.1a): shown as UNTC's,
    # whatever a rule computes.
    declared_entry_into_force = models.DateField(_("entry into force declared by the source"), null=True, blank=True)
    declared_provisional_entry_into_force = models.DateField(
        _("provisional entry into force declared by the source"), null=True, blank=True
    )
    # The kinds that make a row one of UNTC's Parties in this treaty's table (scrapers.model
    # `party_kinds`): empty for the usual consents to be bound; an annex of III-2 counts its
    # "Application" column.
    party_kinds = models.JSONField(_("kinds that make a party"), default=list, blank=True, editable=False)
    declared_signatories = models.PositiveIntegerField(_("signatories declared by the source"), null=True, blank=True)
    declared_parties = models.PositiveIntegerField(_("parties declared by the source"), null=True, blank=True)
    source_text = models.TextField(
        _("source's text section"), blank=True, help_text=_("The depositary notifications it cites (C.N.s).")
    )
    source_notes = models.JSONField(
        _("source's end notes"),
        default=list,
        blank=True,
        help_text=_("The numbered notes participants' footnotes refer to, as the source last showed them."),
    )

    # Polling state: the validators of the last good read, so an unchanged poll is cheap.
    # When it was last checked is not kept here but read from PollRun: an unchanged poll
    # then writes one row and nothing else.
    poll_enabled = models.BooleanField(_("poll the source"), default=True)
    # Its poll schedule, a django-celery-beat row staff may edit (ratification/schedule.py).
    poll_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="treaty",
        verbose_name=_("poll schedule"),
    )
    source_hash = models.CharField(_("SHA-256 of the last good file"), max_length=64, blank=True)
    source_etag = models.CharField(_("ETag"), max_length=300, blank=True)
    source_last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    last_change_at = models.DateTimeField(_("last change recorded"), null=True, blank=True)
    # Whether the statement sections were read once: that read is their baseline, recorded and
    # not announced. A treaty followed before statements were read takes it on its next poll.
    statements_read = models.BooleanField(_("statements read"), default=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(_("failed reads in a row"), default=0)
    failure_alerted_at = models.DateTimeField(
        _("staff alerted of the current failure"),
        null=True,
        blank=True,
        help_text=_("Set when staff were told the source is failing; cleared by the recovered notice."),
    )

    # How many times the treaty's public data has changed: every cached page, feed, export and
    # API answer is keyed on it (ratification/cache.py). Moved by the database's triggers, on
    # every write to the treaty's public data (migration 0016).
    data_version = CounterField(_("data version"), default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["data_version", "poll_task"])

    class Meta:
        ordering = ["mtdsg"]
        verbose_name = _("treaty")
        verbose_name_plural = _("treaties")

    def __str__(self) -> str:
        return f"{self.mtdsg} {self.short_title or self.title[:60]}"

    @property
    def adoption_date(self):
        """The earliest date an action of this treaty may bear (the gate's and staff's checks)."""
        return self.adopted_on or self.conclusion_date

    @property
    def display_title(self) -> str:
        """The treaty's name wherever it is shown: pages, feeds, e-mail subjects."""
        return self.short_title or self.title

    @property
    def untc_page_url(self) -> str:
        """Its human-readable status page on the UN Treaty Collection (not the XML the poller reads)."""
        return status_page_url(settings.UNTC_BASE_URL, mtdsg=self.mtdsg, chapter=self.chapter)


class Participant(models.Model):
    """A State or organisation that takes part in treaties, keyed by a stable code.

    UNTC renames rows in place (Turkey became Türkiye), so the code, not the name, is the
    identity; older names live on as aliases.
    """

    code = models.CharField(_("code"), max_length=8, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("As UNTC writes it."))
    is_reio = models.BooleanField(
        _("regional economic integration organization"), default=False, help_text=_("For example the European Union.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name


class ParticipantAlias(models.Model):
    """Another name UNTC has used for a participant (an older spelling, a renamed row)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant alias")
        verbose_name_plural = _("participant aliases")

    def __str__(self) -> str:
        return self.name


# What a participant did. The kinds are the scraper's (`scrapers.model.ActionKind`, the one
# list); only their translated names live here. A kind added to the scraper is a choice at once,
# named after its value until it is given a label below (tests/test_vocabulary.py asks for one).
ACTION_KIND_LABELS = {
    untc_model.ActionKind.SIGNATURE: _("signature"),
    untc_model.ActionKind.SUCCESSION_TO_SIGNATURE: _("succession to signature"),
    untc_model.ActionKind.SIGNATURE_AD_REFERENDUM: _("signature ad referendum"),
    untc_model.ActionKind.CONFIRMATION_OF_SIGNATURE: _("confirmation of signature"),
    untc_model.ActionKind.RATIFICATION: _("ratification"),
    untc_model.ActionKind.ACCEPTANCE: _("acceptance"),
    untc_model.ActionKind.APPROVAL: _("approval"),
    untc_model.ActionKind.ACCESSION: _("accession"),
    untc_model.ActionKind.SUCCESSION: _("succession"),
    untc_model.ActionKind.DEFINITIVE_SIGNATURE: _("definitive signature"),
    untc_model.ActionKind.FORMAL_CONFIRMATION: _("formal confirmation"),
    untc_model.ActionKind.PARTICIPATION: _("participation"),
    untc_model.ActionKind.CONSENT_TO_BE_BOUND: _("consent to be bound"),
    untc_model.ActionKind.PROVISIONAL_APPLICATION: _("provisional application"),
    untc_model.ActionKind.PROVISIONAL_ACCEPTANCE: _("provisional acceptance"),
    untc_model.ActionKind.APPLICATION: _("application"),
    untc_model.ActionKind.EXTENSION: _("extension"),
    untc_model.ActionKind.NOTIFICATION: _("notification"),
}
ActionKind = models.TextChoices(
    "ActionKind",
    [
        (kind.name, (kind.value, ACTION_KIND_LABELS.get(kind, kind.value.replace("_", " "))))
        for kind in untc_model.ActionKind
    ],
)

# Kinds that express consent to be bound (the instruments that make a participant a party),
# kinds that make it a signatory, and notifications (which count toward nothing): the
# scraper's definitions, where the reasons are written.
INSTRUMENT_KINDS = frozenset(ActionKind(kind.value) for kind in untc_model.CONSENT_KINDS)
SIGNATURE_KINDS = frozenset(ActionKind(kind.value) for kind in untc_model.SIGNATURE_KINDS)
NOTIFICATION_KINDS = frozenset(ActionKind(kind.value) for kind in untc_model.NOTIFICATION_KINDS)
_NOTIFICATION_VALUES = sorted(str(kind.value) for kind in untc_model.NOTIFICATION_KINDS)


def action_family(kind: str) -> frozenset[ActionKind]:
    """The kinds of the same family as `kind` (signatures, consents, provisional, notifications):
    a participant holds at most one live action of a family. A kind corrected within its family
    is the same deposit (UNTC turning `A` into `AA`), not a new one."""
    return frozenset(ActionKind(k.value) for k in untc_model.FAMILY_KINDS[untc_model.family_of(kind)])


class Origin(models.TextChoices):
    SEED = "seed", _("seed data")
    SOURCE = "source", _("UN Treaty Collection")
    STAFF = "staff", _("staff")


class Action(models.Model):
    """One thing a participant did under a treaty: a signature or an instrument."""

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="actions")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("kind"), max_length=32, choices=ActionKind.choices)
    date = models.DateField(_("date"))
    marker = models.CharField(_("marker in the source"), max_length=4, blank=True, help_text=_("A, AA, a, d, …"))
    label = models.CharField(
        _("label in the source"),
        max_length=300,
        blank=True,
        help_text=_("The source's own words for it, from the column legend (e.g. 'Definitive acceptance')."),
    )
    footnotes = models.JSONField(_("footnotes"), default=list, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.SOURCE)
    provenance = models.CharField(
        _("provenance"), max_length=200, blank=True, help_text=_("Where a seeded or staff value comes from.")
    )
    locked = models.BooleanField(
        _("locked by staff"), default=False, help_text=_("A locked value is never overwritten by the scraper.")
    )
    lock_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "participant__name"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            # The database, not only the code, keeps a retried or concurrent ingest from
            # recording an action twice. A participant holds one signature, ratification...
            # of each kind per treaty; notifications are told apart by their label too, since
            # one table may have two notification columns (under article 12 and under 15).
            models.UniqueConstraint(
                fields=["treaty", "participant", "kind"],
                condition=~Q(kind__in=_NOTIFICATION_VALUES),
                name="one_action_per_kind",
            ),
            models.UniqueConstraint(
                fields=["treaty", "participant", "kind", "label"],
                condition=Q(kind__in=_NOTIFICATION_VALUES),
                name="one_notification_per_label",
            ),
        ]
        indexes = [
            models.Index(fields=["treaty", "kind", "date"]),
            # The API's incremental sync walks actions by (updated_at, id).
            models.Index(fields=["updated_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.get_kind_display()} {self.date:%Y-%m-%d}"

    @property
    def is_instrument(self) -> bool:
        return self.kind in INSTRUMENT_KINDS


class SourceSnapshot(models.Model):
    """A raw UNTC file as read, compressed, kept once per distinct content for audit."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField(help_text=_("Bytes before compression."))
    compressed = models.BinaryField(help_text=_("gzip of the bytes as received."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source snapshot")

    def __str__(self) -> str:
        return self.sha256[:12]


class PollOutcome(models.TextChoices):
    RUNNING = "running", _("running")
    CHANGED = "changed", _("changed")
    UNCHANGED = "unchanged", _("unchanged")
    NOT_MODIFIED = "not_modified", _("not modified")
    FAILED = "failed", _("failed")
    FAILED_VALIDATION = "failed_validation", _("failed validation")
    SKIPPED = "skipped", _("skipped")
    # Read, and nothing published, but something was raised for staff (a surprise held, a
    # disagreement): not "unchanged", since staff have something to look at.
    NEEDS_REVIEW = "needs_review", _("raised items for review")


# Outcomes of a run that read the source (a 304 and an unchanged file included): what "last
# read successfully" and the dead-man's switch measure.
SUCCESSFUL_OUTCOMES = (PollOutcome.CHANGED, PollOutcome.NEEDS_REVIEW, PollOutcome.UNCHANGED, PollOutcome.NOT_MODIFIED)


class PollRun(models.Model):
    """One attempt to read a treaty's status file, whatever came of it."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="poll_runs")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=PollOutcome.choices, default=PollOutcome.RUNNING)
    slot = models.DateTimeField(
        _("schedule slot"), null=True, blank=True, help_text=_("The scheduled time this run was for, if scheduled.")
    )
    source_url = models.URLField(
        _("address read"),
        max_length=500,
        blank=True,
        help_text=_("The address the file was fetched from; empty for a file given by hand."),
    )
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    bytes_received = models.PositiveIntegerField(_("bytes"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256"), max_length=64, blank=True)
    etag = models.CharField(_("ETag"), max_length=300, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    signatories = models.PositiveIntegerField(_("signatories"), null=True, blank=True)
    parties = models.PositiveIntegerField(_("parties"), null=True, blank=True)
    participants_seen = models.PositiveIntegerField(_("participants in the file"), null=True, blank=True)
    new_actions = models.PositiveIntegerField(_("new actions"), default=0)
    corrections = models.PositiveIntegerField(_("corrections"), default=0)
    summary = models.JSONField(_("differences"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    snapshot = models.ForeignKey(SourceSnapshot, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        verbose_name = _("poll run")
        constraints = [
            # Two beat processes firing the same slot record (and poll) once.
            models.UniqueConstraint(fields=["treaty", "slot"], name="one_poll_run_per_slot"),
            # The poll lock: at most one running poll per treaty, held by the database, so
            # two workers never read and reconcile the same treaty at once.
            models.UniqueConstraint(
                fields=["treaty"], condition=Q(outcome="running"), name="one_running_poll_per_treaty"
            ),
        ]
        indexes = [models.Index(fields=["treaty", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.treaty.mtdsg} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class EventKind(models.TextChoices):
    NEW_ACTION = "new_action", _("new action")
    CORRECTION = "correction", _("correction")
    RENAME = "rename", _("participant renamed")
    WITHDRAWAL = "withdrawal", _("withdrawal")
    THRESHOLD_REACHED = "threshold_reached", _("threshold reached")
    ENTERED_INTO_FORCE = "entered_into_force", _("entered into force")
    # A national step staff recorded (a `Stage`): never a UN action, announced only to the
    # subscribers who asked for these reports.
    STAGE_REPORTED = "stage_reported", _("national step reported")
    # A reservation, declaration, objection, notification or territorial application
    # (ratification/statement_models.py): made, its text changed, or withdrawn.
    STATEMENT_MADE = "statement_made", _("statement made")
    STATEMENT_CHANGED = "statement_changed", _("statement changed")
    STATEMENT_WITHDRAWN = "statement_withdrawn", _("statement withdrawn")


MILESTONE_KINDS = (EventKind.THRESHOLD_REACHED, EventKind.ENTERED_INTO_FORCE)
STATEMENT_EVENT_KINDS = (EventKind.STATEMENT_MADE, EventKind.STATEMENT_CHANGED, EventKind.STATEMENT_WITHDRAWN)
# What the UN record's news (pages, feeds) is made of. Corrections and renames are recorded for
# staff and the audit trail, never announced as news.
PUBLIC_EVENT_KINDS = frozenset({EventKind.NEW_ACTION, EventKind.WITHDRAWAL, *MILESTONE_KINDS, *STATEMENT_EVENT_KINDS})
# What subscribers may hear about: the UN record's news, and the reported national steps (which
# only the subscriptions that opted in receive; alerts/topics.py).
ANNOUNCED_EVENT_KINDS = PUBLIC_EVENT_KINDS | {EventKind.STAGE_REPORTED}


class Event(models.Model):
    """One detected change: what alerts, feeds and the change history are built from."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    statement = models.ForeignKey(
        "ratification.Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    poll_run = models.ForeignKey(PollRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    occurred_on = models.DateField(_("date"), help_text=_("The date of the action or milestone, not of its detection."))
    public = models.BooleanField(_("announced"), default=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)
    # The queue of the record's consumers (healthchecks' `Flip.processed`): empty until the
    # alerts outbox claims the event with a conditional UPDATE, in the transaction that owes its
    # deliveries, so a committed event is taken exactly once, even when the broker was down.
    processed_at = models.DateTimeField(_("taken by the outbox"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event")
        constraints = [
            models.UniqueConstraint(
                fields=["action"], condition=Q(kind="new_action"), name="one_new_action_event_per_action"
            ),
            models.UniqueConstraint(
                fields=["treaty", "kind"],
                condition=Q(kind__in=["threshold_reached", "entered_into_force"]),
                name="one_milestone_event_of_each_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["treaty", "-created_at"]),
            # The API's incremental sync walks events by (created_at, id).
            models.Index(fields=["created_at", "id"]),
            # The sweeper's look for events no consumer took: a handful among millions.
            models.Index(fields=["id"], condition=Q(processed_at__isnull=True), name="event_unprocessed"),
        ]

    def __str__(self) -> str:
        return f"{self.treaty.mtdsg} {self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class ReviewKind(models.TextChoices):
    DISAPPEARED = "disappeared", _("row disappeared from the source")
    LOCK_CONFLICT = "lock_conflict", _("source disagrees with a staff lock")
    CORRECTION = "correction", _("source corrected a date")
    UNKNOWN_PARTICIPANT = "unknown_participant", _("unknown participant name")
    POLL_FAILING = "poll_failing", _("reading the source is failing")
    HELD = "held", _("surprise held for review")
    COUNT_MISMATCH = "count_mismatch", _("the file's figures disagree with its rows")
    EIF_DISAGREEMENT = "eif_disagreement", _("the rule gives another entry-into-force date than the source")
    TREATY_FACTS = "treaty_facts", _("the file contradicts the treaty's stored facts")


class ReviewResolution(models.TextChoices):
    TAKE_SOURCE = "take_source", _("took the source's value")
    KEEP_LOCK = "keep_lock", _("kept the staff value")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ACCEPTED = "accepted", _("accepted and published")
    MAPPED = "mapped", _("mapped to a participant and published")
    REJECTED = "rejected", _("rejected")
    CONFIRMED = "confirmed", _("confirmed as withdrawn and announced")


class ReviewItem(models.Model):
    """Something staff should look at: the scraper never settles these on its own."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="review_items")
    kind = models.CharField(_("kind"), max_length=24, choices=ReviewKind.choices)
    participant = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="review_items")
    poll_run = models.ForeignKey(PollRun, on_delete=models.SET_NULL, null=True, blank=True)
    description = models.TextField(_("what happened"))
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("settled"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    resolution = models.CharField(_("decision"), max_length=16, choices=ReviewResolution.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        verbose_name = _("review item")
        indexes = [models.Index(fields=["treaty", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class StageKind(models.TextChoices):
    """A step of a State's own procedure between signature and deposit (or accession)."""

    SUBMITTED = "submitted", _("submitted to parliament")
    APPROVED = "approved", _("approved by parliament")
    SIGNED_INTO_LAW = "signed_into_law", _("signed into law")
    DEPOSIT_ANNOUNCED = "deposit_announced", _("deposit announced")
    OTHER = "other", _("other step (its own label)")


# Steps that mean parliament has approved: the ones the status page's "in the pipeline" counts.
APPROVAL_STAGE_KINDS = frozenset({StageKind.APPROVED, StageKind.SIGNED_INTO_LAW, StageKind.DEPOSIT_ANNOUNCED})
SOURCE_URL_VALIDATOR = URLValidator(
    schemes=["http", "https"],
    message=_("A source is a web address starting with http:// or https://."),
    code="not_a_web_address",  # not "invalid", which the field's generic message would replace
)


class Stage(models.Model):
    """A national step toward ratification, curated by staff from a public source.

    Never a UN action: the UN Treaty Collection knows only deposits. Stages are shown apart
    from the UN's record, in their own words ("reported by …, not yet deposited with the UN"),
    and never change a count, a date or a deposit alert (ratification/pipeline.py).
    """

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="stages")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="stages")
    kind = models.CharField(_("step"), max_length=24, choices=StageKind.choices)
    label = models.CharField(
        _("own label"),
        max_length=200,
        blank=True,
        help_text=_("For a step of another kind: its name, e.g. 'government decision'."),
    )
    date = models.DateField(_("date"), help_text=_("When the step happened, as the source gives it."))
    source_url = models.URLField(
        _("source"),
        max_length=500,
        validators=[SOURCE_URL_VALIDATOR],
        help_text=_("A public page that reports it (a parliament's record, an official gazette, a ministry)."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("national step")
        verbose_name_plural = _("national steps")
        constraints = [
            # Importing the same file twice records each step once.
            models.UniqueConstraint(
                fields=["treaty", "participant", "kind", "label", "date"], name="one_stage_per_step_and_date"
            ),
            models.CheckConstraint(
                condition=~Q(kind="other") | ~Q(label=""), name="a_stage_of_another_kind_has_a_label"
            ),
        ]
        indexes = [models.Index(fields=["treaty", "participant", "date"])]

    def __str__(self) -> str:
        return f"{self.participant} {self.display_label} {self.date:%Y-%m-%d}"

    @property
    def display_label(self) -> str:
        """The step's name: staff's own label for another kind, else the kind's."""
        return self.label if self.kind == StageKind.OTHER else str(self.get_kind_display())

    @property
    def source_host(self) -> str:
        """Who reports it, as the pages name it: the source's host without `www.`."""
        return (urlsplit(self.source_url).hostname or "").removeprefix("www.")

    @property
    def reports_approval(self) -> bool:
        return self.kind in APPROVAL_STAGE_KINDS


# Statements live in their own module (one reason to change each); importing them here is what
# registers them with the app.
from ratification.statement_models import Statement, StatementKind, StatementSection  # noqa: E402, F401
