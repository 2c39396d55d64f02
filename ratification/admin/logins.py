"""The login lockout's records (django-axes), with one of its admin actions made to work."""

from __future__ import annotations

import axes.admin  # registers axes' screens first, so the one below can replace its own
from axes.models import AccessAttempt
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessAttemptAdmin(axes.admin.AccessAttemptAdmin):
    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset):
        # django-axes 8.3.1 reads request.axes_attempt_time, which only a login request carries:
        # from the admin the action crashed (AttributeError). "Now" is the moment it means.
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AccessAttemptAdmin)
