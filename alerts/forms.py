"""Input of the public pages: every field bounded, every error worded for the person typing."""

from __future__ import annotations

import ipaddress

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.utils.translation import gettext_lazy as _

from alerts import selectors
from alerts.models import SUBSCRIPTION_SCOPES, Scope

# Unicode's Bidi_Control characters: invisible, they make an address display as another one,
# and the mail path cannot encode them in a domain (the confirmation task crashed on one).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Domains that never reach a public mail server (RFC 6761, 6762, 8375 and ICANN's .internal).
LOCAL_ONLY_SUFFIXES = ("localhost", "local", "localdomain", "internal", "home.arpa", "test", "invalid", "example")


def is_local_only(domain: str) -> bool:
    """True for a domain only this machine or network knows: no dot, a reserved name, an IP literal."""
    domain = domain.strip().rstrip(".").lower()
    if domain.startswith("["):  # [192.0.2.1] or [IPv6:2001:db8::1]
        return True
    try:
        ipaddress.ip_address(domain)
        return True
    except ValueError:
        pass
    return "." not in domain or any(domain == s or domain.endswith("." + s) for s in LOCAL_ONLY_SUFFIXES)


class AddressField(forms.EmailField):
    """An e-mail address the mail path can send to, refused here rather than in the worker."""

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if BIDI_CONTROLS & set(value):
            raise ValidationError(self.error_messages["bidi"], code="bidi")
        return value

    def clean(self, value) -> str:
        value = super().clean(value)  # a well-formed address first (EmailValidator's messages)
        if not value:
            return value
        try:
            sanitize_address(value, "utf-8")  # what Django's SMTP backend does with each recipient
        except (ValueError, UnicodeError):
            raise ValidationError(self.error_messages["unsendable"], code="unsendable") from None
        if settings.PRODUCTION and is_local_only(value.rpartition("@")[2]):
            raise ValidationError(self.error_messages["local_only"], code="local_only")
        return value


class TreatyField(forms.ModelChoiceField):
    """A tracked treaty, chosen by its name; its MTDSG number tells apart treaties of one name."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.display_title} ({obj.mtdsg})"


class PreferencesForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What to receive"),
        choices=SUBSCRIPTION_SCOPES,
        initial=Scope.INSTRUMENTS,
        widget=forms.RadioSelect,
        help_text=_("Everyone also receives the milestones: the last instrument needed, and entry into force."),
    )
    stages = forms.BooleanField(
        label=_("Also tell me of national steps reported before a deposit"),
        required=False,
        initial=False,
        help_text=_(
            "A parliament's approval, a law signed: reported by national sources and curated by the tracker. "
            "They are reports, not deposits with the UN, and sent apart from them."
        ),
    )
    statements = forms.BooleanField(
        label=_("Also tell me of reservations, declarations and objections"),
        required=False,
        initial=False,
        help_text=_(
            "What each State reserved, declared or objected to, as the UN records it: made, changed or withdrawn. "
            "E-mails quote the first lines and link the full text."
        ),
    )
    participants = forms.MultipleChoiceField(
        label=_("Only these participants (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to hear about every participant."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = selectors.participant_choices()


class SubscribeForm(PreferencesForm):
    field_order = ["email", "scope", "stages", "statements", "participants"]

    email = AddressField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter the e-mail address the alerts should go to."),
            "invalid": _("Enter a complete e-mail address, like name@example.org."),
            "max_length": _("An e-mail address is at most 254 characters long."),
            "bidi": _(
                "This address contains invisible characters that change the direction of the text (they often "
                "come with copied text). Type the address again."
            ),
            "unsendable": _("E-mail cannot be sent to this address as written. Check it and type it again."),
            "local_only": _(
                "This address is on a domain only a local network knows (such as localhost or an IP address), "
                "which our mail server cannot reach. Use an address on a public domain."
            ),
        },
    )
    treaty = TreatyField(
        # A treaty is always preselected (the one whose page linked here, else the default).
        empty_label=None,
        queryset=selectors.subscribable_treaties(),
        to_field_name="mtdsg",
        label=_("Treaty"),
        error_messages={"invalid_choice": _("Choose one of the treaties this site follows.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.fields["treaty"].queryset.count() <= 1:
            self.fields["treaty"].widget = forms.HiddenInput()
