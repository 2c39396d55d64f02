"""Treaties: follow one by its MTDSG number, edit its rule and poll schedule, poll it now.

"Poll now" queues the poll for a worker (a slow source can take minutes with its retries, far
longer than a web request should wait) and takes staff to its poll run, which shows the
outcome and what changed once the file has been read.
"""

from __future__ import annotations

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from ratification import selectors
from ratification.admin.base import HistoryAdmin, ReasonField, add_errors, change_allowed, staff_page
from ratification.models import CODE_VALIDATOR, ActionKind, RuleBasis, RuleKind, Treaty
from ratification.services import treaties as treaty_service
from ratification.services.polling import treaty_source_url
from ratification.services.rule_proposals import proposed_changes, rule_proposal_confirm
from ratification.tasks import poll_treaty_enqueue
from scrapers.fetch import FetchError
from scrapers.mtdsg import treaty_xml_path

# The weights are uploaded as a CSV file (`weights_csv`), not typed as JSON.
RULE_FIELDS = tuple(name for name in treaty_service.RULE_FIELDS if name != "eif_weights")
RULE_FIELDSET = tuple(
    part for name in RULE_FIELDS for part in (("weights_csv", name) if name == "eif_weights_source" else (name,))
)
HEAD_FIELDS = ("mtdsg", "chapter", "title", "short_title", "conclusion_place", "conclusion_date")
VOLUMES_HELP = _(
    "Certain (seen in real files): chapter VI lives under Volume I; chapters XVIII, XXI and XXVII under "
    "Volume II. Assumed from the printed MTDSG, not checked against the live site: chapters I to XI under "
    "Volume I, XII onward under Volume II. Check the treaty's 'View XML' link on UNTC, e.g. "
    "doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml."
)
ADD_PATH_HELP = format_lazy("{} {}", _("Leave empty to derive it from the chapter."), VOLUMES_HELP)


class ActionKindsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.update(choices=ActionKind.choices, label=capfirst(Treaty._meta.get_field("action_kinds").verbose_name))
        kwargs.setdefault("help_text", Treaty._meta.get_field("action_kinds").help_text)
        super().__init__(**kwargs)


class GroupCodesField(forms.CharField):
    """The group's participants as codes separated by commas or spaces ("DZA, ARG, AUS")."""

    def __init__(self, **kwargs) -> None:
        field = Treaty._meta.get_field("eif_group_codes")
        kwargs.update(required=False, label=capfirst(field.verbose_name))
        kwargs.setdefault("help_text", _("ISO alpha-3 codes separated by commas, e.g. DZA, ARG, AUS."))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "cols": 60}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def clean(self, value) -> list[str]:
        codes = [code.upper() for code in str(super().clean(value) or "").replace(",", " ").split()]
        for code in codes:
            try:
                CODE_VALIDATOR(code)
            except ValidationError:
                raise ValidationError(_("%(code)s is not a code.") % {"code": code}) from None
        return sorted(set(codes))


class WeightsCsvField(forms.FileField):
    """The weights table, uploaded: one `code,share` line per participant."""

    def __init__(self, **kwargs) -> None:
        kwargs.update(required=False, label=_("Weights (CSV file)"))
        kwargs.setdefault(
            "help_text",
            _(
                "One line per participant: its code and its share in percent, e.g. CHN,20.09. Replaces the "
                "current table; leave empty to keep it. Cite the table's source below."
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> dict[str, float] | None:
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return None
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
        return treaty_service.weights_from_csv(text)


# Left empty, these keep the model's default (a count rule, no months, no group).
DEFAULTED_RULE_FIELDS = ("eif_rule_kind", "eif_delay_months", "later_party_delay_months", "eif_group_threshold")


class RuleFormMixin:
    """The rule fields both treaty forms share: group codes as text, weights as a file."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in DEFAULTED_RULE_FIELDS:
            self.fields[name].required = False

    def clean(self) -> dict:
        data = super().clean()
        for name in DEFAULTED_RULE_FIELDS:
            if data.get(name) in (None, ""):
                data[name] = Treaty._meta.get_field(name).get_default()
                setattr(self.instance, name, data[name])
        defined = treaty_service.RULE_DEFINING_FIELDS.intersection(self.changed_data) - set(DEFAULTED_RULE_FIELDS)
        if defined and "rule_basis" not in self.changed_data and not data.get("rule_basis"):
            # Staff entering the rule (with a reason) confirm it; they may still choose "not known".
            data["rule_basis"] = self.instance.rule_basis = RuleBasis.CONFIRMED
        # The rule as it would be saved (the instance takes the form's values only after clean()).
        probe = copy.copy(self.instance)
        for name in treaty_service.RULE_FIELDS:
            if name in data:
                setattr(probe, name, data[name])
        for field, message in treaty_service.rule_problems(probe):
            if field in self.fields:
                self.add_error(field, message)
        weights = data.get("weights_csv")
        if weights:
            self.instance.eif_weights = weights
            data["eif_weights"] = weights
        if data.get("eif_rule_kind") == RuleKind.WEIGHT and not (weights or self.instance.eif_weights):
            self.add_error("weights_csv", _("A weight rule needs its table of weights."))
        if (weights or data.get("eif_rule_kind") == RuleKind.WEIGHT) and not data.get("eif_weights_source"):
            self.add_error("eif_weights_source", _("Cite where the weights come from."))
        return data


class TreatyAddForm(RuleFormMixin, forms.ModelForm):
    # A plain field: the number is normalised (XVIII-16, XXVII-7-d) and checked in clean().
    mtdsg = forms.CharField(label=Treaty._meta.get_field("mtdsg").verbose_name, max_length=32)
    action_kinds = ActionKindsField()
    eif_group_codes = GroupCodesField()
    weights_csv = WeightsCsvField()
    poll_now = forms.BooleanField(
        label=_("Poll it now"),
        required=False,
        initial=True,
        help_text=_("Queue a read of its status file at once. The first read is a baseline: recorded, not announced."),
    )

    class Meta:
        model = Treaty
        fields = ["mtdsg", "chapter", "xml_path", "short_title", *RULE_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chapter"].required = False
        self.fields["chapter"].help_text = _("Derived from the MTDSG number (XVIII for XVIII-16) when left empty.")
        self.fields["xml_path"].required = False
        self.fields["xml_path"].help_text = ADD_PATH_HELP
        self.fields["xml_path"].widget.attrs["size"] = 90
        self.fields["mtdsg"].help_text = _(
            "As UNTC writes it: chapter in Roman numerals, chapter XI's part letter, number, optional sub-item "
            "(XVIII-16, XXVII-7-d, XI-B-19, III-2-12b)."
        )

    def clean(self) -> dict:
        data = super().clean()
        try:
            data["mtdsg"], data["chapter"] = treaty_service.mtdsg_check(data.get("mtdsg", ""), data.get("chapter", ""))
            path_given = data.get("xml_path") or treaty_xml_path(mtdsg=data["mtdsg"])
            data["xml_path"] = treaty_service.xml_path_check(path_given)
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                self.add_error(name, errors)
        return data

    def validate_unique(self) -> None:
        pass  # mtdsg_check says "already followed" in plainer words


class TreatyChangeForm(RuleFormMixin, forms.ModelForm):
    action_kinds = ActionKindsField()
    eif_group_codes = GroupCodesField()
    weights_csv = WeightsCsvField()
    poll_every_hours = forms.IntegerField(
        label=_("Poll every (hours)"),
        min_value=1,
        required=False,
        help_text=_("Empty keeps the current schedule (see the periodic task for a crontab or other details)."),
    )
    reason = ReasonField()

    class Meta:
        model = Treaty
        fields = [
            "title",
            "short_title",
            "conclusion_place",
            "conclusion_date",
            "adopted_on",
            "admits_reio",
            "xml_path",
            *RULE_FIELDS,
            "poll_enabled",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["xml_path"].help_text = VOLUMES_HELP
        self.fields["xml_path"].widget.attrs["size"] = 90
        self.fields["title"].required = False  # filled in by the first poll from the file's header
        task = self.instance.poll_task
        if task and task.interval and task.interval.period == "hours":
            self.fields["poll_every_hours"].initial = task.interval.every

    def clean_xml_path(self) -> str:
        try:
            return treaty_service.xml_path_check(self.cleaned_data["xml_path"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["xml_path"]) from None


@admin.register(Treaty)
class TreatyAdmin(HistoryAdmin):
    list_display = ("mtdsg", "display_title", "poll_enabled", "open_reviews", "last_change_at", "consecutive_failures")
    list_display_links = ("mtdsg", "display_title")
    list_filter = ("poll_enabled",)
    search_fields = ("mtdsg", "title", "short_title")
    actions = ["poll_selected"]
    change_form_template = "admin/ratification/treaty/change_form.html"
    readonly_fields = (
        "mtdsg",
        "chapter",
        "schedule",
        "freshness",
        "consecutive_failures",
        "failure_alerted_at",
        "source_hash",
        "source_etag",
        "source_last_modified",
        "eif_label",
        "eif_text",
        "registration",
        "declared_signatories",
        "declared_parties",
        "last_change_at",
        "proposed_rule",
        "weights_table",
    )

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(open_review_count=Count("review_items", filter=Q(review_items__resolved_at__isnull=True)))
        )

    @admin.display(description=_("open review items"), ordering="open_review_count")
    def open_reviews(self, treaty: Treaty) -> str:
        url = reverse("admin:ratification_reviewitem_changelist") + f"?treaty__id__exact={treaty.pk}&open=yes"
        return format_html('<a href="{}">{}</a>', url, treaty.open_review_count)

    @admin.display(description=_("poll schedule"))
    def schedule(self, treaty: Treaty) -> str:
        task = treaty.poll_task
        if task is None:
            return "-"
        url = reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
        state = _("enabled") if task.enabled else _("disabled")
        return format_html('<a href="{}">{}</a> ({}; {})', url, task.name, task.scheduler or "-", state)

    @admin.display(description=_("source last read"))
    def freshness(self, treaty: Treaty) -> str:
        seen = selectors.treaty_freshness(treaty=treaty)
        return _("checked %(checked)s; last good read %(good)s") % {
            "checked": f"{seen.last_checked_at:%Y-%m-%d %H:%M} UTC" if seen.last_checked_at else _("never"),
            "good": f"{seen.last_success_at:%Y-%m-%d %H:%M} UTC" if seen.last_success_at else _("never"),
        }

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        kwargs["form"] = TreatyChangeForm if obj else TreatyAddForm
        kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["mtdsg", "chapter", "xml_path", "short_title", "poll_now"]}),
                (_("Entry-into-force rule"), {"fields": list(RULE_FIELDSET)}),
            ]
        return [
            (None, {"fields": [*HEAD_FIELDS, "adopted_on", "admits_reio"]}),
            (_("Entry-into-force rule"), {"fields": ["proposed_rule", *RULE_FIELDSET, "weights_table"]}),
            (_("Polling"), {"fields": ["xml_path", "poll_enabled", "poll_every_hours", "schedule", "freshness"]}),
            (_("Why"), {"fields": ["reason"]}),
            (
                _("As the source last showed it"),
                {
                    "classes": ["collapse"],
                    "fields": [
                        "eif_label",
                        "eif_text",
                        "registration",
                        "declared_signatories",
                        "declared_parties",
                        "consecutive_failures",
                        "failure_alerted_at",
                        "last_change_at",
                        "source_hash",
                        "source_etag",
                        "source_last_modified",
                    ],
                },
            ),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.readonly_fields if obj else ()

    def save_model(self, request: HttpRequest, obj: Treaty, form, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            fields = {name: data[name] for name in ("short_title", *RULE_FIELDS)}
            fields["eif_weights"] = data.get("eif_weights") or {}
            created = treaty_service.treaty_create(
                mtdsg=data["mtdsg"], chapter=data["chapter"], xml_path=data["xml_path"], user=request.user, **fields
            )
            obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db
            return
        treaty_service.treaty_update(
            treaty=obj,
            user=request.user,
            reason=data["reason"],
            changed=[*form.changed_data, *(["eif_weights"] if data.get("weights_csv") else [])],
            every_hours=data.get("poll_every_hours"),
        )

    def delete_model(self, request: HttpRequest, obj: Treaty) -> None:
        treaty_service.treaty_delete(treaty=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for treaty in queryset:
            treaty_service.treaty_delete(treaty=treaty, user=request.user)

    def response_add(self, request: HttpRequest, obj: Treaty, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if request.POST.get("poll_now"):
            return self._queue_polls(request, [Treaty.objects.get(pk=obj.pk)]) or response
        return response

    @admin.display(description=_("proposed rule"))
    def proposed_rule(self, treaty: Treaty) -> str:
        return proposal_summary(treaty)

    @admin.display(description=_("weights"))
    def weights_table(self, treaty: Treaty) -> str:
        weights = treaty.eif_weights or {}
        if not weights:
            return "-"
        listed = ", ".join(f"{code} {share:g}%" for code, share in sorted(weights.items(), key=lambda item: -item[1]))
        return _("%(count)s participants, %(total)s%% in all: %(listed)s") % {
            "count": len(weights),
            "total": f"{sum(weights.values()):g}",
            "listed": listed,
        }

    def get_urls(self):
        return [
            path("<path:object_id>/poll/", self.admin_site.admin_view(self.poll_view), name="ratification_treaty_poll"),
            path(
                "<path:object_id>/confirm-rule/",
                self.admin_site.admin_view(self.confirm_rule_view),
                name="ratification_treaty_confirm_rule",
            ),
            *super().get_urls(),
        ]

    def poll_view(self, request: HttpRequest, object_id: str):
        treaty = get_object_or_404(Treaty, pk=object_id)
        change_allowed(self, request, [treaty])
        if request.method == "POST":
            queued = self._queue_polls(request, [treaty])
            return queued or HttpResponseRedirect(reverse("admin:ratification_treaty_change", args=[treaty.pk]))
        return staff_page(
            self, request, "poll_confirm.html", title=_("Poll now"), obj=treaty, form=forms.Form(),
            submit_label=_("Poll now"), cancel_url=reverse("admin:ratification_treaty_change", args=[treaty.pk]),
            url=_source_url(treaty),
        )  # fmt: skip

    def confirm_rule_view(self, request: HttpRequest, object_id: str):
        treaty = get_object_or_404(Treaty, pk=object_id)
        change_allowed(self, request, [treaty])
        change_url = reverse("admin:ratification_treaty_change", args=[treaty.pk])
        form = ConfirmRuleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                rule_proposal_confirm(treaty=treaty, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.message_user(request, _("The proposed rule now applies."), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        return staff_page(
            self, request, "confirm_rule.html", title=_("Confirm the proposed rule"), obj=treaty, form=form,
            submit_label=_("Apply this rule"), cancel_url=change_url, summary=proposal_summary(treaty),
            changes=[
                (capfirst(Treaty._meta.get_field(name).verbose_name), getattr(treaty, name), value)
                for name, value in proposed_changes(treaty).items()
            ],
        )  # fmt: skip

    @admin.action(description=_("Poll the selected treaties now"), permissions=["change"])
    def poll_selected(self, request: HttpRequest, queryset):
        self._queue_polls(request, list(queryset))

    def _queue_polls(self, request: HttpRequest, treaties: list[Treaty]) -> HttpResponseRedirect | None:
        """Queue a poll of each treaty, say so with a link to each run; the run's page if just one."""
        runs = []
        for treaty in treaties:
            run = poll_treaty_enqueue(treaty=treaty)
            if run is None:
                message = _("Nothing was done for %(mtdsg)s: another poll of this treaty is running.")
                self.message_user(request, message % {"mtdsg": treaty.mtdsg}, messages.WARNING)
                continue
            runs.append(run)
            link = format_html(
                '<a href="{}">{}</a>',
                reverse("admin:ratification_pollrun_change", args=[run.pk]),
                _("poll run #%(id)s") % {"id": run.pk},
            )
            text = _("Poll of {mtdsg} queued: {link} shows what changed once a worker has read the file.")
            self.message_user(request, format_html(text, mtdsg=treaty.mtdsg, link=link), messages.SUCCESS)
        if len(runs) == 1 and len(treaties) == 1:
            return HttpResponseRedirect(reverse("admin:ratification_pollrun_change", args=[runs[0].pk]))
        return None


class ConfirmRuleForm(forms.Form):
    reason = ReasonField()


def proposal_summary(treaty: Treaty) -> str:
    """The stored proposal in a line, with the way to confirm it when it would change the rule."""
    proposal = treaty.rule_proposal or {}
    if not proposal:
        return _("None yet: a rule is proposed when a poll reads the clause UNTC quotes.")
    if proposal.get("confirmed"):
        return _("The rule proposed from %(article)s was confirmed.") % {"article": proposal["confirmed"]}
    rule = proposal.get("rule")
    if not rule:
        return _("No rule proposed: %(reason)s") % {
            "reason": proposal.get("reason", "").removeprefix("no rule proposed: ")
        }
    words = _("Proposed from %(article)s: %(rule)s (%(reason)s).") % {
        "article": proposal.get("article") or _("the quoted clause"),
        "rule": ", ".join(f"{key} {value}" for key, value in rule.items() if value is not None),
        "reason": proposal.get("reason", ""),
    }
    if proposal.get("declared"):
        words += " " + _("It gives %(computed)s; UNTC declares %(declared)s.") % {
            "computed": proposal.get("computed") or "-",
            "declared": proposal["declared"],
        }
    if not proposed_changes(treaty):
        return format_html("{} {}", words, _("The rule in force already says the same."))
    url = reverse("admin:ratification_treaty_confirm_rule", args=[treaty.pk])
    return format_html('{} <a href="{}">{}</a>', words, url, _("Confirm it"))


def _source_url(treaty: Treaty) -> str:
    try:
        return treaty_source_url(treaty)
    except FetchError as error:
        return str(error)
