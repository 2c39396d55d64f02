"""`python manage.py add_webhook URL --treaty XVIII-16 [--scope instruments|everything|milestones]`

Adds a webhook endpoint (after the same URL check as the admin: https, public addresses) and
prints the new endpoint's id and its `whsec_` signing key as JSON (`id`, `secret`): the receiver
verifies signatures with that key.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from alerts.models import ENDPOINT_SCOPES, Scope
from alerts.services.webhooks import EndpointRefused, webhook_endpoint_create
from ratification.models import Treaty


class Command(BaseCommand):
    help = "Add a signed webhook endpoint for a treaty and print its id and signing secret as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("url", help="https URL that receives the signed POSTs")
        parser.add_argument("--treaty", required=True, help="the treaty's MTDSG number, e.g. XVIII-16")
        parser.add_argument("--scope", default=Scope.INSTRUMENTS, choices=[value for value, _label in ENDPOINT_SCOPES])
        parser.add_argument("--description", default="", help="who receives it, for staff")

    def handle(self, *args, url: str, treaty: str, scope: str, description: str, **options) -> None:
        try:
            chosen = Treaty.objects.get(mtdsg=treaty)
        except Treaty.DoesNotExist:
            raise CommandError(f"no treaty {treaty!r} (add it first)") from None
        try:
            endpoint = webhook_endpoint_create(treaty=chosen, url=url, scope=scope, description=description)
        except EndpointRefused as error:
            raise CommandError(f"refused {url}: {error}") from None
        self.stdout.write(json.dumps({"id": endpoint.pk, "secret": endpoint.secret}))
