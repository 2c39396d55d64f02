"""The record of reading the source (poll runs, raw files, the statements read) and of what
changed (events): read-only."""

from __future__ import annotations

import gzip

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ratification.admin.base import ReadOnlyAdmin
from ratification.models import Event, PollRun, SourceSnapshot, Statement

SUMMARY_SECTIONS = (
    ("new", _("new actions")),
    ("corrected", _("corrections")),
    ("renamed", _("renamed")),
    ("events", _("events")),
    ("review_items", _("review items raised")),
)


def _download(snapshot: SourceSnapshot, filename: str) -> HttpResponse:
    """The stored bytes exactly as received, as an attachment (never rendered by the browser)."""
    response = HttpResponse(gzip.decompress(bytes(snapshot.compressed)), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(PollRun)
class PollRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "treaty", "outcome", "http_status", "new_actions", "corrections", "short_error")
    list_filter = ("outcome", "treaty", ("started_at", admin.DateFieldListFilter))
    list_select_related = ("treaty",)
    date_hierarchy = "started_at"
    fields = (
        "treaty",
        "outcome",
        "started_at",
        "finished_at",
        "slot",
        "http_status",
        "bytes_received",
        "etag",
        "last_modified",
        "content_hash",
        "signatories",
        "parties",
        "participants_seen",
        "new_actions",
        "corrections",
        "differences",
        "error",
        "raw_file",
    )
    readonly_fields = fields

    @admin.display(description=_("error"))
    def short_error(self, run: PollRun) -> str:
        return run.error[:100]

    @admin.display(description=_("differences"))
    def differences(self, run: PollRun) -> str:
        summary = run.summary or {}
        sections = [(label, summary.get(key) or []) for key, label in SUMMARY_SECTIONS]
        shown = [(label, items) for label, items in sections if items]
        confirmed = summary.get("seed_rows_confirmed")
        if not shown and not confirmed:
            return _("none")
        html = format_html_join(
            "",
            "<h3>{} ({})</h3><ul>{}</ul>",
            (
                (label, len(items), format_html_join("", "<li>{}</li>", ((item,) for item in items)))
                for label, items in shown
            ),
        )
        if confirmed:
            html += format_html("<p>{}: {}</p>", _("seeded rows confirmed"), confirmed)
        return html

    @admin.display(description=_("raw file"))
    def raw_file(self, run: PollRun) -> str:
        if not run.snapshot_id:
            return _("not stored (nothing new was read)")
        url = reverse("admin:ratification_pollrun_raw", args=[run.pk])
        return format_html('<a href="{}" download>{}</a> ({} bytes)', url, _("Download"), run.snapshot.size)

    def get_urls(self):
        raw = self.admin_site.admin_view(self.raw_view)
        return [path("<path:object_id>/raw/", raw, name="ratification_pollrun_raw"), *super().get_urls()]

    def raw_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        run = get_object_or_404(PollRun.objects.select_related("treaty", "snapshot"), pk=object_id)
        if not self.has_view_permission(request, run):
            raise PermissionDenied
        if run.snapshot is None:
            raise Http404("no file stored for this run")
        return _download(run.snapshot, f"{run.treaty.mtdsg}-{run.started_at:%Y%m%dT%H%M%S}.xml")


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("sha256", "size", "created_at")
    fields = ("sha256", "size", "created_at", "raw_file")
    readonly_fields = fields
    search_fields = ("sha256",)

    @admin.display(description=_("raw file"))
    def raw_file(self, snapshot: SourceSnapshot) -> str:
        url = reverse("admin:ratification_sourcesnapshot_raw", args=[snapshot.pk])
        return format_html('<a href="{}" download>{}</a>', url, _("Download"))

    def get_urls(self):
        raw = self.admin_site.admin_view(self.raw_view)
        return [path("<path:object_id>/raw/", raw, name="ratification_sourcesnapshot_raw"), *super().get_urls()]

    def raw_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        snapshot = get_object_or_404(SourceSnapshot, pk=object_id)
        if not self.has_view_permission(request, snapshot):
            raise PermissionDenied
        return _download(snapshot, f"untc-{snapshot.sha256[:12]}.xml")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "treaty", "kind", "participant", "occurred_on", "public", "poll_run")
    list_filter = ("kind", "public", "treaty", ("occurred_on", admin.DateFieldListFilter))
    list_select_related = ("treaty", "participant", "poll_run")
    search_fields = ("participant__name", "participant__code")
    date_hierarchy = "created_at"
    fields = ("treaty", "kind", "participant", "action", "poll_run", "occurred_on", "public", "data", "created_at")
    readonly_fields = fields


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    """Reservations, declarations and objections as read from the source. Staff look; one held
    for review is settled in the review queue, and the source's next file corrects the rest."""

    list_display = ("treaty", "participant", "section", "kinds_shown", "articles_shown", "date", "withdrawn_on")
    list_filter = ("section", "treaty", ("withdrawn_on", admin.EmptyFieldListFilter))
    list_select_related = ("treaty", "participant")
    search_fields = ("participant__name", "participant__code", "text")
    fields = (
        "treaty",
        "participant",
        "section",
        "kinds",
        "articles",
        "date",
        "since",
        "withdrawn_on",
        "text",
        "footnotes",
        "answers",
        "position",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description=_("kinds"))
    def kinds_shown(self, statement: Statement) -> str:
        return ", ".join(statement.kinds)

    @admin.display(description=_("articles"))
    def articles_shown(self, statement: Statement) -> str:
        return ", ".join(statement.articles)
