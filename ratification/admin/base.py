"""What every staff screen shares: history without revert, read-only registers, and the
intermediate pages (a form, then a confirmation) that the dangerous operations go through."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin


class ReasonField(forms.CharField):
    """Why staff change something: mandatory, and kept as the history's change reason."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Reason"))
        kwargs.setdefault(
            "help_text",
            _(
                "Required. Say why, and on what evidence (a depositary notification, a letter…). "
                "The reason for a change to the record is public: the history and event pages show it."
            ),
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "cols": 60}))
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault(
            "error_messages", {"required": _("Say why: the reason is kept in the history of the record.")}
        )
        super().__init__(**kwargs)


class HistoryAdmin(SimpleHistoryAdmin):
    """Shows who changed what, when and why, but never reverts from the history page: a
    revert would save old values past the services' checks, locks and reasons."""

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows only services write (poll runs, events, snapshots): staff look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def staff_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    template: str,
    *,
    title: str,
    obj=None,
    **context,
) -> TemplateResponse:
    """Render an intermediate admin page for `model_admin`'s model (breadcrumbs, site chrome)."""
    opts = model_admin.model._meta
    page = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "title": title,
        "original": obj,
        "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]) if obj else None,
        **context,
    }
    candidates = [f"admin/{opts.app_label}/{opts.model_name}/{template}", f"admin/{opts.app_label}/{template}"]
    return TemplateResponse(request, [*candidates, f"admin/{template}"], page)


def change_allowed(model_admin: admin.ModelAdmin, request: HttpRequest, objects: Iterable = (None,)) -> None:
    for obj in objects:
        if not model_admin.has_change_permission(request, obj):
            raise PermissionDenied


def confirmed_action(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset,
    *,
    template: str,
    title: str,
    submit_label: str,
    form_class: type[forms.Form] = forms.Form,
    **context,
) -> tuple[forms.Form | None, TemplateResponse | None]:
    """An admin action that asks first: the first post shows `template` with a form; the second
    (with `_confirmed`) returns the valid form's data to act on, and no page.

    Returns (form, None) when staff confirmed, or (None, the page to show).
    """
    form = form_class(request.POST if request.POST.get("_confirmed") else None)
    if form.is_bound and form.is_valid():
        return form, None
    action = request.POST.get("action", "")
    carried = [("action", action), *((ACTION_CHECKBOX_NAME, pk) for pk in queryset.values_list("pk", flat=True))]
    page = staff_page(
        model_admin, request, template, title=title, form=form, carried=carried, submit_label=submit_label,
        submit_name="_confirmed", **context,
    )  # fmt: skip
    return None, page
