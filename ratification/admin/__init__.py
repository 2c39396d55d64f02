"""Staff screens, one module per part. Corrections go through services, never raw saves."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ratification.admin import actions, logins, participants, polls, reviews, stages, treaties

__all__ = ["actions", "logins", "participants", "polls", "reviews", "stages", "treaties"]

admin.site.site_header = _("Treaty tracker: staff")
admin.site.site_title = _("Treaty tracker staff")
admin.site.index_title = _("Correct the record")
