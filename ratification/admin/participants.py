"""Participants: search by name, alias or code; their actions inline; give one its real code."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ratification.admin.base import HistoryAdmin, ReasonField, add_errors, change_allowed, staff_page
from ratification.db_collation import collated
from ratification.models import Participant, ParticipantAlias, ReviewItem, ReviewKind, ReviewResolution
from ratification.services import participant_edits, reviews

PROVISIONAL_CODE = r"^X[0-9A-F]{5}$"


class ProvisionalCodeFilter(admin.SimpleListFilter):
    title = _("code")
    parameter_name = "provisional"

    def lookups(self, request, model_admin):
        return [("yes", _("provisional (to fix)")), ("no", _("ISO 3166 code"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(code__regex=PROVISIONAL_CODE)
        if self.value() == "no":
            return queryset.exclude(code__regex=PROVISIONAL_CODE)
        return queryset


class ParticipantAliasInline(admin.StackedInline):
    model = ParticipantAlias
    extra = 0
    fields = ("name", "created_at")
    readonly_fields = ("created_at",)


class ParticipantForm(forms.ModelForm):
    reason = ReasonField()

    class Meta:
        model = Participant
        fields = ["code", "name", "is_reio"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("ISO 3166 alpha-3 code"),
        max_length=8,
        help_text=_("For example MUS for Mauritius, EUU for the European Union."),
    )
    reason = ReasonField()


@admin.register(Participant)
class ParticipantAdmin(HistoryAdmin):
    form = ParticipantForm
    list_display = ("participant_name", "code", "is_reio", "alias_names", "action_count")
    list_filter = ("is_reio", ProvisionalCodeFilter, "actions__treaty")
    search_fields = ("name", "code", "aliases__name")
    search_help_text = _("Name, older name (alias) or code.")
    inlines = [ParticipantAliasInline]
    readonly_fields = ("action_table",)
    fields = ("name", "code", "is_reio", "action_table", "reason")
    change_form_template = "admin/ratification/participant/change_form.html"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(action_total=Count("actions", distinct=True))

    def get_ordering(self, request: HttpRequest):
        # "Côte d'Ivoire" before "Czech Republic" (ratification/collation.py), here and in the
        # autocomplete of the other pages.
        return [collated("name")]

    @admin.display(description=_("name"), ordering=collated("name"))
    def participant_name(self, participant: Participant) -> str:
        return participant.name

    @admin.display(description=_("aliases"))
    def alias_names(self, participant: Participant) -> str:
        return ", ".join(alias.name for alias in participant.aliases.all())

    @admin.display(description=_("actions"), ordering="action_total")
    def action_count(self, participant: Participant) -> int:
        return participant.action_total

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.result_list = changelist.result_list.prefetch_related("aliases")
        return changelist

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # A code is changed through "Give its code": it may be a merge, which needs confirming.
        return ("code", "action_table") if obj else ("action_table",)

    @admin.display(description=_("actions"))
    def action_table(self, participant: Participant) -> str:
        """Its actions under every treaty, read-only: a correction goes through the action's page."""
        if participant.pk is None:
            return "-"
        actions = participant.actions.select_related("treaty").order_by("treaty__mtdsg", "date")
        rows = format_html_join(
            "",
            '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (a.treaty.mtdsg, reverse("admin:ratification_action_change", args=[a.pk]), a.get_kind_display(),
                 date_format(a.date), a.get_origin_display(), _state(a))
                for a in actions
            ),
        )  # fmt: skip
        if not rows:
            return _("none")
        return format_html(
            '<table><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}'
            '</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Actions of %(name)s") % {"name": participant.name}, _("Treaty"), _("Kind"), _("Date"), _("Origin"),
            _("Note"), rows,
        )  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Participant, form, change: bool) -> None:
        participant_edits.participant_save(
            participant=obj, user=request.user, reason=form.cleaned_data["reason"], changed=form.changed_data
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.code_view)
        return [path("<path:object_id>/code/", view, name="ratification_participant_code"), *super().get_urls()]

    def code_view(self, request: HttpRequest, object_id: str):
        """Give a participant its ISO code: a form, then a confirmation saying exactly what moves."""
        participant = get_object_or_404(Participant, pk=object_id)
        change_allowed(self, request, [participant])
        review = _open_review(request, participant)
        form = CodeForm(request.POST or None, initial={"code": "" if _provisional(participant) else participant.code})
        plan = None
        if request.method == "POST" and form.is_valid():
            try:
                plan = participant_edits.participant_code_plan(participant=participant, code=form.cleaned_data["code"])
                if request.POST.get("_confirmed") and not plan.conflicts:
                    survivor = participant_edits.participant_code_assign(
                        participant=participant, code=plan.code, user=request.user, reason=form.cleaned_data["reason"]
                    )
                    if review is not None:
                        reviews.review_settle(
                            item=review,
                            resolution=ReviewResolution.ACKNOWLEDGED,
                            user=request.user,
                            note=f"code {plan.code} given: {form.cleaned_data['reason']}",
                        )
                    self.message_user(request, _("%(name)s now has the code %(code)s.") % {
                        "name": survivor.name, "code": survivor.code}, messages.SUCCESS)  # fmt: skip
                    return HttpResponseRedirect(reverse("admin:ratification_participant_change", args=[survivor.pk]))
            except ValidationError as error:
                add_errors(form, error)
                plan = None
        confirming = plan is not None and not plan.conflicts
        return staff_page(
            self,
            request,
            "code.html",
            title=_("Give its code"),
            obj=participant,
            form=form,
            plan=plan,
            review=review,
            confirming=confirming,
            submit_label=(_("Yes, merge them") if plan and plan.is_merge else _("Yes, change the code"))
            if confirming
            else _("Check"),
        )


def _state(action) -> str:
    return _("locked") if action.locked else _("withdrawn") if action.withdrawn else ""


def _provisional(participant: Participant) -> bool:
    return re.match(PROVISIONAL_CODE, participant.code) is not None


def _open_review(request: HttpRequest, participant: Participant) -> ReviewItem | None:
    return ReviewItem.objects.filter(
        pk=request.GET.get("review") or None,
        participant=participant,
        kind=ReviewKind.UNKNOWN_PARTICIPANT,
        resolved_at__isnull=True,
    ).first()
