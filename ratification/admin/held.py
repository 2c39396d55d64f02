"""The page of a held row: the raw row, why it was held, and staff's decision with a reason.

Accept and map go through a confirmation that says what will be recorded and announced and
how many subscribers will be e-mailed, as a staff entry does (admin/actions.py); reject
publishes nothing and needs no confirmation.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alerts.selectors import alert_audience
from ratification.admin.base import add_errors, staff_page
from ratification.db_collation import collated
from ratification.models import ActionKind, Participant, ReviewItem, ReviewResolution
from ratification.services.held_rows import held_row_preview, held_row_settle

DECISIONS = [
    (
        ReviewResolution.ACCEPTED,
        _("Accept: the row is right. It is published, counted and announced as if the poll had found it."),
    ),
    (
        ReviewResolution.MAPPED,
        _(
            "Map it to a participant: the row is that participant under another name. Its name becomes an alias, "
            "and its actions are published, counted and announced under that participant."
        ),
    ),
    (ReviewResolution.REJECTED, _("Reject: nothing is published, and the same row is not raised again.")),
]


class HeldForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    participant = forms.ModelChoiceField(
        label=_("Participant"),
        queryset=Participant.objects.order_by(collated("name")),
        required=False,
        help_text=_("Only to map the row: the participant it is."),
    )
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Required, whatever the decision: it is kept with the decision and in the record's history."),
        error_messages={"required": _("Say why: the note is kept as the reason in the record's history.")},
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == ReviewResolution.MAPPED and not data.get("participant"):
            self.add_error("participant", _("Choose the participant this row is."))
        return data


def held_view(model_admin: admin.ModelAdmin, request: HttpRequest, item: ReviewItem):
    """Show a held row and carry out staff's decision on it."""
    resembles = Participant.objects.filter(pk=item.data.get("resembles") or None).first()
    form = plan = recipients = None
    if item.is_open and model_admin.has_change_permission(request, item):
        form = HeldForm(request.POST or None, initial={"participant": resembles})
        if request.method == "POST" and form.is_valid():
            decision = form.cleaned_data["decision"]
            mapped = form.cleaned_data["participant"] if decision == ReviewResolution.MAPPED else None
            try:
                if decision == ReviewResolution.REJECTED or request.POST.get("_confirmed"):
                    settled = held_row_settle(
                        item=item, decision=decision, user=request.user, note=form.cleaned_data["note"],
                        participant=mapped,
                    )  # fmt: skip
                    model_admin.message_user(
                        request,
                        _("Settled (%(decision)s): %(item)s")
                        % {"decision": settled.get_resolution_display(), "item": settled},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:ratification_reviewitem_changelist"))
                plan = held_row_preview(item=item, participant=mapped)
                recipients = alert_audience(treaty=item.treaty, events=plan.events)
            except ValidationError as error:
                add_errors(form, error)
                plan = None
    held_actions = [
        {**action, "kind_label": ActionKind(action["kind"]).label if action["kind"] in ActionKind.values else ""}
        for action in item.data.get("actions", [])
    ]
    return staff_page(
        model_admin, request, "held.html", title=_("Held row"), obj=item, form=form, plan=plan,
        recipients=recipients, confirming=plan is not None, resembles=resembles, held_actions=held_actions,
        submit_label=_("Yes, publish and announce it") if plan else _("Decide"),
    )  # fmt: skip
