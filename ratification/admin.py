"""Staff screens. Every model is registered; corrections go through services, not raw saves."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratification.models import (
    Action,
    Event,
    Participant,
    ParticipantAlias,
    PollRun,
    ReviewItem,
    SourceSnapshot,
    Treaty,
)


@admin.register(Treaty)
class TreatyAdmin(SimpleHistoryAdmin):
    list_display = ("mtdsg", "display_title", "eif_threshold", "last_change_at", "consecutive_failures")
    search_fields = ("mtdsg", "title", "short_title")


class ParticipantAliasInline(admin.TabularInline):
    model = ParticipantAlias
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "is_reio")
    list_filter = ("is_reio",)
    search_fields = ("name", "code", "aliases__name")
    inlines = [ParticipantAliasInline]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("participant", "treaty", "kind", "date", "origin", "locked", "withdrawn")
    list_filter = ("kind", "origin", "locked", "treaty")
    search_fields = ("participant__name", "participant__code")
    date_hierarchy = "date"
    list_select_related = ("participant", "treaty")


@admin.register(PollRun)
class PollRunAdmin(admin.ModelAdmin):
    list_display = ("treaty", "started_at", "outcome", "http_status", "new_actions", "corrections")
    list_filter = ("outcome", "treaty")
    list_select_related = ("treaty",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("treaty", "kind", "participant", "occurred_on", "public", "created_at")
    list_filter = ("kind", "public", "treaty")
    list_select_related = ("treaty", "participant")


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ("kind", "treaty", "participant", "created_at", "resolved_at", "resolution")
    list_filter = ("kind", "resolution", "treaty")


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(admin.ModelAdmin):
    list_display = ("sha256", "size", "created_at")
