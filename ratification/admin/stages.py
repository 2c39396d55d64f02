"""National steps: staff record what a public source reports, one at a time or from a CSV file.

Every change goes through ratification/services/stages.py with a reason (kept in the history);
a step is removed by an action that asks why, never by the admin's plain delete.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ratification import selectors
from ratification.admin.base import HistoryAdmin, ReasonField, add_errors, confirmed_action, staff_page
from ratification.models import Stage, Treaty
from ratification.services import stage_import, stages


class StageForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("Source"),
        max_length=500,
        assume_scheme="https",
        help_text=Stage._meta.get_field("source_url").help_text,
    )
    announce = forms.BooleanField(
        label=_("Tell subscribers"),
        required=False,
        initial=True,
        help_text=_(
            "Alert the subscribers who chose to hear about reported steps (worded as a report, not a deposit). "
            "Only when the step is recorded; a correction is never announced."
        ),
    )
    reason = ReasonField(help_text=_("Required. Say where you found it; the reason is kept in the history."))

    class Meta:
        model = Stage
        fields = ["treaty", "participant", "kind", "label", "date", "source_url", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        names = ("treaty", "participant", "kind", "label", "date", "source_url", "note")
        # On a change the treaty and participant are read-only: the instance's.
        values = {name: data[name] if name in data else getattr(self.instance, name) for name in names}
        candidate = Stage(pk=self.instance.pk, **values)
        try:
            stages.stage_check(candidate)
        except ValidationError as error:
            add_errors(self, error)
        data["label"] = candidate.label
        return data

    def validate_unique(self) -> None:
        pass  # the service says which step is already recorded


class ImportForm(forms.Form):
    treaty = forms.ModelChoiceField(label=_("Treaty"), queryset=Treaty.objects.all())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, with the columns participant (ISO 3166 alpha-3 code), date (YYYY-MM-DD), stage, source_url "
            "and note. One bad row refuses the whole file."
        ),
    )
    announce = forms.BooleanField(
        label=_("Tell subscribers"),
        required=False,
        help_text=_("Usually off: a file is the history you gathered, not news."),
    )
    reason = ReasonField()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        too_big = stage_import.size_refusal(upload.size)
        if too_big:
            raise forms.ValidationError(too_big)
        return upload


class ReasonForm(forms.Form):
    reason = ReasonField()


@admin.register(Stage)
class StageAdmin(HistoryAdmin):
    form = StageForm
    list_display = ("participant", "step", "date", "source_link", "treaty")
    list_filter = ("kind", "treaty", ("date", admin.DateFieldListFilter))
    search_fields = ("participant__name", "participant__code", "label", "note", "source_url")
    search_help_text = _("Participant name or code, label, note or source.")
    list_select_related = ("participant", "treaty")
    date_hierarchy = "date"
    autocomplete_fields = ("participant",)
    actions = ["remove_stages"]
    change_list_template = "admin/ratification/stage/change_list.html"

    @property
    def export_treaties(self):
        return Treaty.objects.filter(stages__isnull=False).distinct().order_by("mtdsg")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # see remove_stages: with a reason, through the service

    def get_fields(self, request: HttpRequest, obj=None):
        fields = ["treaty", "participant", "kind", "label", "date", "source_url", "note"]
        return [*fields, "reason"] if obj else [*fields, "announce", "reason"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("treaty", "participant") if obj else ()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"treaty": selectors.default_treaty(), **super().get_changeform_initial_data(request)}

    @admin.display(description=_("step"), ordering="kind")
    def step(self, stage: Stage) -> str:
        return stage.display_label

    @admin.display(description=_("reported by"))
    def source_link(self, stage: Stage) -> str:
        return format_html('<a href="{}" rel="external noreferrer">{}</a>', stage.source_url, stage.source_host)

    def save_model(self, request: HttpRequest, obj: Stage, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            values = {name: data[name] for name in form.changed_data if name not in ("reason", "announce")}
            stages.stage_correct(stage=obj, user=request.user, reason=data["reason"], **values)
            return
        saved = stages.stage_record(
            treaty=data["treaty"], participant=data["participant"], kind=data["kind"], label=data["label"],
            date=data["date"], source_url=data["source_url"], note=data["note"], user=request.user,
            reason=data["reason"], announce=data["announce"],
        )  # fmt: skip
        obj.pk = saved.pk

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("import/", wrap(self.import_view), name="ratification_stage_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest):
        """Upload a CSV file: every row checked first; a bad row refuses the file, listed by line."""
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        form = ImportForm(request.POST or None, request.FILES or None, initial={"treaty": selectors.default_treaty()})
        refused = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = stage_import.stages_import(
                    treaty=data["treaty"], data=data["file"].read(), user=request.user, reason=data["reason"],
                    announce=data["announce"],
                )  # fmt: skip
            except stage_import.StageFileRefused as error:
                refused = error.errors
            except ValidationError as error:
                add_errors(form, error)
            else:
                message = _("%(created)d steps recorded, %(unchanged)d already recorded.") % {
                    "created": len(result.created), "unchanged": result.unchanged}  # fmt: skip
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:ratification_stage_changelist"))
        return staff_page(
            self, request, "import.html", title=_("Import national steps"), form=form, refused=refused,
            submit_label=_("Check and import"), treaties=Treaty.objects.all(),
        )  # fmt: skip

    @admin.action(description=_("Remove the selected steps (with a reason)"), permissions=["change"])
    def remove_stages(self, request: HttpRequest, queryset):
        chosen = list(queryset.select_related("participant", "treaty"))
        form, page = confirmed_action(
            self, request, queryset, template="remove.html", title=_("Remove national steps"),
            submit_label=_("Yes, remove them"), form_class=ReasonForm, stages_to_remove=chosen,
        )  # fmt: skip
        if form is None:
            return page
        for stage in chosen:
            stages.stage_remove(stage=stage, user=request.user, reason=form.cleaned_data["reason"])
        self.message_user(request, _("Removed %(count)d steps.") % {"count": len(chosen)}, messages.SUCCESS)
        return None
