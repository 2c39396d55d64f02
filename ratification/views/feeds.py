"""The Atom feed of a treaty's public events, at `/feeds/<mtdsg>.atom`.

Each entry carries the facts a depositary notification (C.N.) gives: who, which instrument,
the date of deposit, and where the count stands (counted N of 40); a stable `tag:` id that
survives a change of host name in links; and a link to the participant's page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ratification import page_selectors
from ratification.cache import cached_response
from ratification.models import Event, Treaty
from ratification.wording.events import event_details, event_title
from tracker.site import site_host

FEED_ENTRIES = 50


class TreatyEventsFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, treaty: Treaty) -> None:
        self.treaty = treaty

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> Treaty:
        return self.treaty

    def title(self, treaty: Treaty) -> str:
        return _("%(treaty)s: ratification news") % {"treaty": treaty.display_title}

    def subtitle(self, treaty: Treaty) -> str:
        return _(
            "New signatures, ratifications, acceptances, approvals and accessions (%(mtdsg)s), "
            "read from the UN Treaty Collection."
        ) % {"mtdsg": treaty.mtdsg}

    def author_name(self) -> str:
        # RFC 4287 (4.1.1): a feed whose entries have no author must have one itself.
        return _("Treaty ratification tracker")

    def author_link(self) -> str:
        return settings.SITE_URL + "/"

    def link(self, treaty: Treaty) -> str:
        return reverse("treaty", kwargs={"mtdsg": treaty.mtdsg})

    def feed_url(self, treaty: Treaty) -> str:
        return reverse("treaty-feed", kwargs={"mtdsg": treaty.mtdsg})

    def feed_guid(self, treaty: Treaty) -> str:
        return f"tag:{site_host()},2025:treaties/{treaty.mtdsg}"

    def items(self, treaty: Treaty) -> list[Event]:
        return page_selectors.public_events(treaty=treaty, limit=FEED_ENTRIES)

    def item_title(self, event: Event) -> str:
        return event_title(event)

    def item_description(self, event: Event) -> str:
        return event_details(event)

    def item_link(self, event: Event) -> str:
        # The event's permanent page: what it did to the count, and the file it was read from.
        return reverse("event", kwargs={"event_id": event.pk})

    def item_guid(self, event: Event) -> str:
        return f"tag:{site_host()},{event.created_at:%Y-%m-%d}:events/{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event: Event):
        return event.created_at

    def item_updateddate(self, event: Event):
        return event.created_at

    def item_categories(self, event: Event) -> tuple[str, ...]:
        return (event.kind, *((event.participant.code,) if event.participant else ()))


@cached_response
def treaty_feed(request: HttpRequest, mtdsg: str) -> HttpResponse:
    return TreatyEventsFeed(page_selectors.page_treaty(mtdsg=mtdsg))(request)
