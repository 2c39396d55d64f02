"""Actions: corrections that lock a value, instruments entered by staff, explicit removal."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from alerts.selectors import alert_audience
from ratification import selectors
from ratification.admin.base import (
    HistoryAdmin,
    ReasonField,
    add_errors,
    change_allowed,
    confirmed_action,
    staff_page,
)
from ratification.db_collation import collated
from ratification.models import Action, ActionKind, Participant, Treaty
from ratification.services import staff


class FootnotesField(forms.CharField):
    """The footnote numbers of the UNTC record as staff write them, "2, 5" (stored as [2, 5])."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(number) for number in value)
        return value

    def to_python(self, value) -> list[int]:
        if isinstance(value, list | tuple):
            return list(value)
        # "[2, 5]" (the JSON the form used to show) reads as "2, 5".
        text = (value or "").strip().removeprefix("[").removesuffix("]")
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValidationError(_("Footnote numbers only, separated by commas (such as 2, 5)."), code="invalid")
        return [int(part) for part in parts]


class ActionCorrectForm(forms.ModelForm):
    footnotes = FootnotesField(
        label=_("Footnotes"),
        required=False,
        help_text=_("The numbers of the UNTC record's footnotes for this action, separated by commas."),
    )
    reason = ReasonField(
        help_text=_(
            "Required. Saving makes this a staff value, locked against the scraper: a later disagreement from "
            "UNTC becomes a review item, never an overwrite."
        )
    )

    class Meta:
        model = Action
        fields = ["kind", "date", "withdrawn", "marker", "footnotes", "provenance"]
        help_texts = {"withdrawn": _("Recorded as a correction (not announced to subscribers).")}

    def clean(self) -> dict:
        data = super().clean()
        action = self.instance
        if self.errors or not ({"date", "kind"} & set(self.changed_data)):
            return data
        try:
            staff.date_check(treaty=action.treaty, kind=data["kind"], date=data["date"])
            if "kind" in self.changed_data:
                staff.kind_check(
                    treaty=action.treaty, participant=action.participant, kind=data["kind"], exclude=action
                )
        except ValidationError as error:
            add_errors(self, error)
        return data

    def validate_unique(self) -> None:
        pass  # kind_check says which action is in the way


class InstrumentForm(forms.Form):
    treaty = forms.ModelChoiceField(label=_("Treaty"), queryset=Treaty.objects.all())
    participant = forms.ModelChoiceField(
        label=_("Participant"),
        queryset=Participant.objects.order_by(collated("name")),
        help_text=_("Not in the list? Add the participant first (with its ISO 3166 code)."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date of deposit (or of signature), as the depositary notification gives it."),
    )
    marker = forms.CharField(
        label=_("Marker"), required=False, max_length=4, help_text=_("A, AA, a, d… as UNTC prints it.")
    )
    lock = forms.BooleanField(
        label=_("Lock against the source"),
        required=False,
        help_text=_(
            "Leave unticked so UNTC's value wins once it lists this (a different date then comes to the review "
            "queue). Tick to keep the staff value whatever UNTC says."
        ),
    )
    reason = ReasonField()


class ReasonForm(forms.Form):
    reason = ReasonField()


@admin.register(Action)
class ActionAdmin(HistoryAdmin):
    form = ActionCorrectForm
    list_display = ("participant", "treaty", "kind", "date", "origin", "locked", "withdrawn")
    list_filter = ("kind", "origin", "locked", "withdrawn", ("date", admin.DateFieldListFilter), "treaty")
    search_fields = ("participant__name", "participant__code", "participant__aliases__name")
    search_help_text = _("Participant name, older name or code.")
    date_hierarchy = "date"
    list_select_related = ("participant", "treaty")
    actions = ["release_lock"]
    change_form_template = "admin/ratification/action/change_form.html"
    readonly_fields = ("treaty", "participant", "origin", "locked", "why_locked", "event_list", "created_at")
    fieldsets = [
        (None, {"fields": ["treaty", "participant", "kind", "date", "withdrawn", "marker", "footnotes"]}),
        (_("Where it comes from"), {"fields": ["origin", "provenance", "locked", "why_locked", "created_at"]}),
        (_("Events"), {"fields": ["event_list"]}),
        (_("Why"), {"fields": ["reason"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # see remove_view: only seeded or staff rows, never announced ones, with a reason

    @admin.display(description=_("why it was locked"))
    def why_locked(self, action: Action) -> str:
        # Not "reason": the form's own Reason field (why this change) is a different one.
        return action.lock_reason or "-"

    @admin.display(description=_("events"))
    def event_list(self, action: Action) -> str:
        events = action.events.order_by("created_at")
        rows = format_html_join(
            "",
            "<li>{} {} ({}, {})</li>",
            (
                (e.get_kind_display(), e.occurred_on, _("announced") if e.public else _("not announced"),
                 f"{e.created_at:%Y-%m-%d %H:%M}")
                for e in events
            ),
        )  # fmt: skip
        return format_html("<ul>{}</ul>", rows) if events else "-"

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        action = self.get_object(request, unquote(object_id))
        context = {
            # "Save and add another" would leave a correction for the form that records a new action.
            "show_save_and_add_another": False,
            # Offer Remove only where the removal page would not refuse.
            "removable": action is not None and staff.action_removal_problem(action) is None,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def save_model(self, request: HttpRequest, obj: Action, form, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in form.changed_data if name != "reason"}
        staff.action_correct(action=obj, user=request.user, reason=form.cleaned_data["reason"], **values)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/remove/", wrap(self.remove_view), name="ratification_action_remove"),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """Staff enter an action the source does not show yet: a form, then a confirmation that
        says what will be announced and to how many subscribers."""
        if not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)  # refuses as the admin does
        initial = {"treaty": selectors.default_treaty(), "kind": ActionKind.RATIFICATION}
        form = InstrumentForm(request.POST or None, initial=initial)
        preview = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            entry = {name: data[name] for name in ("treaty", "participant", "kind", "date", "marker")}
            try:
                if request.POST.get("_confirmed"):
                    recorded = staff.instrument_record(
                        **entry, lock=data["lock"], user=request.user, reason=data["reason"]
                    )
                    self.message_user(
                        request, _("Recorded: %(action)s.") % {"action": recorded.action}, messages.SUCCESS
                    )
                    return HttpResponseRedirect(reverse("admin:ratification_action_change", args=[recorded.action.pk]))
                preview = staff.instrument_preview(**entry)
            except ValidationError as error:
                add_errors(form, error)
        recipients = alert_audience(treaty=preview.action.treaty, events=preview.events) if preview else None
        return staff_page(
            self, request, "entry.html", title=_("Record an action"), form=form, preview=preview,
            recipients=recipients, confirming=preview is not None,
            submit_label=_("Yes, record and announce it") if preview else _("Check"),
        )  # fmt: skip

    def remove_view(self, request: HttpRequest, object_id: str):
        action = get_object_or_404(Action.objects.select_related("participant", "treaty"), pk=object_id)
        change_allowed(self, request, [action])
        problem = staff.action_removal_problem(action)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and problem is None and form.is_valid():
            try:
                staff.action_remove(action=action, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.message_user(request, _("Removed: %(action)s.") % {"action": action}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:ratification_action_changelist"))
        return staff_page(
            self, request, "remove.html", title=_("Remove"), obj=action, problem=problem,
            form=None if problem else form, submit_label=_("Yes, remove it"),
        )  # fmt: skip

    @admin.action(description=_("Release the lock (let the source decide again)"), permissions=["change"])
    def release_lock(self, request: HttpRequest, queryset):
        locked = queryset.filter(locked=True).select_related("participant", "treaty")
        form, page = confirmed_action(
            self, request, queryset, template="release_lock.html", title=_("Release the lock"),
            submit_label=_("Yes, release"), form_class=ReasonForm, actions_to_unlock=locked,
        )  # fmt: skip
        if form is None:
            return page
        for action in locked:
            staff.action_unlock(action=action, user=request.user, reason=form.cleaned_data["reason"])
        self.message_user(request, _("Released %(count)d locks.") % {"count": len(locked)}, messages.SUCCESS)
        return None
