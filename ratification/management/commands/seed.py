"""`python manage.py seed`: store XVIII-16 and its Hanoi signatories (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ratification.services.seed import treaty_seed


class Command(BaseCommand):
    help = "Store the UN Convention against Cybercrime (XVIII-16) and its 72 Hanoi signatories. Safe to run again."

    def handle(self, *args, **options) -> None:
        result = treaty_seed()
        treaty = "created XVIII-16" if result.treaty_created else "XVIII-16 already stored"
        self.stdout.write(f"{treaty}; {result.actions_created} signatures added, {result.actions_kept} already there.")
