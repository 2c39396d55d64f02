"""The review queue: what the scraper would not settle on its own, and staff's decisions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ratification.admin.base import add_errors, confirmed_action, staff_page
from ratification.admin.held import held_view
from ratification.models import ReviewItem, ReviewKind, ReviewResolution
from ratification.services import reviews, staff

# What each decision does, in the words staff see next to the choice.
DECISION_HELP = {
    (ReviewKind.LOCK_CONFLICT, ReviewResolution.TAKE_SOURCE): _(
        "Take the source's value: the lock is released, the value set, and a correction recorded (not announced)."
    ),
    (ReviewKind.LOCK_CONFLICT, ReviewResolution.KEEP_LOCK): _(
        "Keep the staff value: nothing changes, and this disagreement is not raised again."
    ),
    (ReviewKind.CORRECTION, ReviewResolution.TAKE_SOURCE): _("Keep the source's new date (already applied)."),
    (ReviewKind.CORRECTION, ReviewResolution.KEEP_LOCK): _(
        "Put the previous date back and lock it against the source (a correction, not announced)."
    ),
    (ReviewKind.DISAPPEARED, ReviewResolution.ACKNOWLEDGED): _(
        "Keep it as it is: the action and the count stay, and this disappearance is not raised again."
    ),
    (ReviewKind.DISAPPEARED, ReviewResolution.CONFIRMED): _(
        "Confirm the withdrawal: the action is marked withdrawn, the count goes down, and subscribers are told."
    ),
}


class OpenFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("open")), ("no", _("settled")), ("all", _("all"))]

    def choices(self, changelist):
        # Open items are the default view: the queue is what is still to be done.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "yes") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "yes"
        if value == "yes":
            return queryset.filter(resolved_at__isnull=True)
        if value == "no":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class SettleForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Why. Required when the decision changes the record: it becomes the reason in its history."),
    )

    def __init__(self, *args, item: ReviewItem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ReviewResolution.choices)
        self.fields["resolution"].choices = [
            (decision, DECISION_HELP.get((item.kind, decision), capfirst(labels[decision])))
            for decision in reviews.review_decisions(item)
        ]
        if len(self.fields["resolution"].choices) == 1:
            self.fields["resolution"].initial = self.fields["resolution"].choices[0][0]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    # "What happened" comes right after the kind, and long values wrap (static/css/admin-staff.css):
    # at 1280 px the whole row is on screen.
    list_display = ("short_description", "kind", "treaty_number", "created_at", "decision")
    list_display_links = ("short_description",)
    list_filter = (OpenFilter, "kind", "resolution", "treaty")
    list_select_related = ("treaty", "participant", "resolved_by")
    search_fields = ("description", "participant__name", "participant__code")
    actions = ["acknowledge"]
    # Open items first, held rows first among them (they keep news from the public), newest first.
    ordering = (
        F("resolved_at").asc(nulls_first=True),
        Case(When(kind=ReviewKind.HELD, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
        "-created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # raised by polls, never by hand

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a decision is recorded, never erased

    @admin.display(description=_("what happened"))
    def short_description(self, item: ReviewItem) -> str:
        return item.description if len(item.description) <= 140 else item.description[:139] + "…"

    @admin.display(description=_("treaty"), ordering="treaty__mtdsg")
    def treaty_number(self, item: ReviewItem) -> str:
        return item.treaty.mtdsg

    @admin.display(description=_("decision"), ordering="resolution")
    def decision(self, item: ReviewItem) -> str:
        if item.is_open:
            return _("open")
        return f"{item.get_resolution_display()} ({item.resolved_by or _('the tracker')})"

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        """The settle page: the item, what each decision does, and the decision."""
        item = self.get_object(request, object_id)
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        if item.kind == ReviewKind.HELD:
            return held_view(self, request, item)
        form = None
        if item.is_open and self.has_change_permission(request, item):
            form = SettleForm(request.POST or None, item=item)
            if request.method == "POST" and form.is_valid():
                try:
                    reviews.review_settle(
                        item=item, resolution=form.cleaned_data["resolution"], user=request.user,
                        note=form.cleaned_data["note"],
                    )  # fmt: skip
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    self.message_user(request, _("Settled: %(item)s") % {"item": item}, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:ratification_reviewitem_changelist"))
        return staff_page(
            self, request, "settle.html", title=_("Review item"), obj=item, form=form, submit_label=_("Settle"),
            removable=item.action is not None and staff.action_removal_problem(item.action) is None,
        )  # fmt: skip

    @admin.action(description=_("Acknowledge the selected items"), permissions=["change"])
    def acknowledge(self, request: HttpRequest, queryset):
        open_items = list(queryset.filter(resolved_at__isnull=True))
        fitting = [i for i in open_items if ReviewResolution.ACKNOWLEDGED in reviews.review_decisions(i)]
        form, page = confirmed_action(
            self, request, queryset, template="acknowledge.html", title=_("Acknowledge"),
            submit_label=_("Yes, acknowledge"), form_class=NoteForm, fitting=fitting,
            skipped=[i for i in open_items if i not in fitting],
        )  # fmt: skip
        if form is None:
            return page
        settled = 0
        for item in fitting:
            try:
                reviews.review_settle(
                    item=item, resolution=ReviewResolution.ACKNOWLEDGED, user=request.user,
                    note=form.cleaned_data["note"],
                )  # fmt: skip
                settled += 1
            except ValidationError:
                continue  # settled meanwhile by someone else: theirs stands
        self.message_user(request, _("Acknowledged %(count)d items.") % {"count": settled}, messages.SUCCESS)
        return None
