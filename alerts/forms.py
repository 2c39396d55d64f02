"""Input of the public pages: every field bounded, every error worded for the person typing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts import selectors
from alerts.models import Scope


class PreferencesForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What to receive"),
        choices=Scope.choices,
        initial=Scope.INSTRUMENTS,
        widget=forms.RadioSelect,
        help_text=_("Everyone also receives the milestones: the last instrument needed, and entry into force."),
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
    field_order = ["email", "scope", "participants"]

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter the e-mail address the alerts should go to."),
            "invalid": _("Enter a complete e-mail address, like name@example.org."),
            "max_length": _("An e-mail address is at most 254 characters long."),
        },
    )
    treaty = forms.ModelChoiceField(
        queryset=selectors.subscribable_treaties(),
        to_field_name="mtdsg",
        label=_("Treaty"),
        error_messages={"invalid_choice": _("Choose one of the treaties this site follows.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.fields["treaty"].queryset.count() <= 1:
            self.fields["treaty"].widget = forms.HiddenInput()
