"""What each participant reserved, declared, objected to, notified or extended under a treaty.

A `Statement` is one element of a statement section of the UNTC file (docs/untc-format.md
§3.5), stored under the participant it names (by identity, through the same gate as the rows:
services/statements.py). The reconcile records each new, changed or withdrawn statement as an
`Event` (EventKind.STATEMENT_*); nothing is deleted: a statement gone from the file keeps its
row, with the day the tracker found it gone in `withdrawn_on`, and every earlier text stays in
its history.

Imported by ratification/models.py, so Django registers it with the app's other models.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StatementSection(models.TextChoices):
    """Where the file prints it (the sections of docs/untc-format.md §3.5)."""

    DECLARATIONS = "declarations", _("declarations and reservations")
    DECLARATIONS_UNDER_ARTICLE = "declarations_under_article", _("declarations under an article")
    OBJECTIONS = "objections", _("objections")
    NOTIFICATIONS = "notifications", _("notifications")
    TERRITORIAL_APPLICATIONS = "territorial_applications", _("territorial applications")


class StatementKind(models.TextChoices):
    """What a statement is, from its own headings and words (scrapers/statement_words.py)."""

    RESERVATION = "reservation", _("reservation")
    DECLARATION = "declaration", _("declaration")
    UNDERSTANDING = "understanding", _("understanding")
    OBJECTION = "objection", _("objection")
    NOTIFICATION = "notification", _("notification")
    TERRITORIAL_APPLICATION = "territorial_application", _("territorial application")
    WITHDRAWAL = "withdrawal", _("withdrawal")


class Statement(models.Model):
    """One statement of one participant under one treaty, as the source last printed it."""

    treaty = models.ForeignKey("ratification.Treaty", on_delete=models.PROTECT, related_name="statements")
    participant = models.ForeignKey("ratification.Participant", on_delete=models.PROTECT, related_name="statements")
    section = models.CharField(_("section"), max_length=32, choices=StatementSection.choices)
    kinds = models.JSONField(_("kinds"), default=list, help_text=_("reservation, declaration, objection, …"))
    articles = models.JSONField(_("articles"), default=list, blank=True, help_text=_("As cited: 22, 35(3)."))
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("The date the statement gives, if any."))
    text = models.TextField(_("text"), blank=True)
    footnotes = models.JSONField(_("footnotes"), default=list, blank=True)
    # The statements of other States it answers (an objection's): [{"name", "kind", "code"}],
    # `name` as printed, `code` the participant it names when the tracker knows it.
    answers = models.JSONField(_("answers"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position in the file"), default=0)
    since = models.DateField(
        _("stands from"),
        null=True,
        blank=True,
        help_text=_(
            "For the status as at a date: its own date; without one, its participant's instrument or signature "
            "(read with the treaty's baseline) or the day it was recorded."
        ),
    )
    withdrawn_on = models.DateField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("The day the tracker found it gone from the source (the source gives no date)."),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["treaty", "position", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            models.Index(fields=["treaty", "participant"]),
            models.Index(fields=["participant", "treaty"], name="statement_by_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {', '.join(self.kinds)} ({self.get_section_display()})"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None

    @property
    def main_kind(self) -> str:
        """The kind it is listed under: the first of its kinds that is not a withdrawal."""
        return next((kind for kind in self.kinds if kind != StatementKind.WITHDRAWAL), StatementKind.DECLARATION)
