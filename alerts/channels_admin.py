"""Staff screens of the webhook endpoints and chat channels: add one, change its scope, switch it
on again after it was disabled, and read its delivery log (the outbox rows owed to it).

A webhook's signing secret is shown (staff hand it to the receiver, as `add_webhook` prints it);
a chat channel's Apprise URL never is, in full: it is entered in a password field, never filled
back in, and shown masked.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alerts.models import ChatChannel, Delivery, WebhookEndpoint
from alerts.services import channel_health
from alerts.services.chat import ChannelRefused, apprise_url_check
from alerts.services.webhooks import EndpointRefused, webhook_url_check

DELIVERY_LOG_LENGTH = 50


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookEndpoint
        fields = ["treaty", "url", "scope", "description", "enabled"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            webhook_url_check(url)
        except EndpointRefused as error:
            raise forms.ValidationError(_("This URL is refused: %(why)s") % {"why": error}) from None
        return url


class ChatChannelForm(forms.ModelForm):
    apprise_url = forms.CharField(
        label=_("Apprise URL"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"size": 80, "autocomplete": "off"}),
        help_text=_(
            "For example slack://…, msteams://…, matrixs://…, mastodons://…, discord://…, tgram://…, ntfys://…. "
            "It holds the account's secret: it is never shown again. On a change, leave it empty to keep the "
            "current one."
        ),
    )

    class Meta:
        model = ChatChannel
        fields = ["treaty", "apprise_url", "scope", "language", "description", "enabled"]

    def clean_apprise_url(self) -> str:
        url = self.cleaned_data["apprise_url"].strip()
        if not url:
            if self.instance.pk:
                return self.instance.apprise_url  # kept as it was
            raise forms.ValidationError(_("Enter the channel's Apprise URL."))
        try:
            apprise_url_check(url)
        except ChannelRefused as error:
            raise forms.ValidationError(_("This URL is refused: %(why)s") % {"why": error}) from None
        return url


class ChannelAdmin(admin.ModelAdmin):
    """What both kinds share: health columns, the log, and switching a channel on again."""

    list_filter = ["enabled", "scope", "treaty"]
    list_select_related = ["treaty"]
    actions = ["enable_again"]
    log_relation = ""

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = ["consecutive_failures", "disabled_at", "disabled_reason", "created_at", "delivery_log"]
        return (["treaty"] if obj else []) + self.extra_readonly + fields

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "enabled" in form.changed_data and obj.enabled:
            channel_health.channel_enable(obj)

    @admin.action(description=_("Enable again (after fixing the receiver)"), permissions=["change"])
    def enable_again(self, request: HttpRequest, queryset) -> None:
        chosen = list(queryset.filter(enabled=False))
        for endpoint in chosen:
            channel_health.channel_enable(endpoint)
        count = len(chosen)
        self.message_user(
            request, ngettext("%(count)d channel enabled.", "%(count)d channels enabled.", count) % {"count": count},
            messages.SUCCESS,
        )  # fmt: skip

    @admin.display(description=_("delivery log"))
    def delivery_log(self, obj) -> str:
        if not obj.pk:
            return "—"
        rows = Delivery.objects.filter(**{self.log_relation: obj}).order_by("-pk")[:DELIVERY_LOG_LENGTH]
        if not rows:
            return _("Nothing delivered yet.")
        body = format_html_join(
            "",
            "<tr><td><a href='{}'>#{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    reverse("admin:alerts_delivery_change", args=[row.pk]),
                    row.alert_id,
                    row.get_status_display(),
                    row.attempts,
                    row.sent_at or row.due_at,
                    row.error[:120],
                    row.created_at,
                )
                for row in rows
            ),
        )
        return format_html(
            "<table><caption>{}</caption><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            _("The last %(count)d deliveries, newest first") % {"count": DELIVERY_LOG_LENGTH},
            _("alert"),
            _("status"),
            _("attempts"),
            _("sent, or next attempt"),
            _("last error"),
            _("created"),
            body,
        )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ChannelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "treaty", "scope", "enabled", "consecutive_failures", "disabled_at"]
    search_fields = ["url", "description"]
    extra_readonly = ["secret"]
    log_relation = "webhook"


@admin.register(ChatChannel)
class ChatChannelAdmin(ChannelAdmin):
    form = ChatChannelForm
    list_display = ["masked_url", "treaty", "scope", "language", "enabled", "consecutive_failures", "disabled_at"]
    search_fields = ["description"]
    extra_readonly = ["masked_url"]
    log_relation = "chat"

    @admin.display(description=_("Apprise URL (secrets hidden)"))
    def masked_url(self, channel: ChatChannel) -> str:
        return channel.masked_url if channel.pk else "—"
