"""The admin's small world: a staff member, an outsider, the seeded treaty, a stand-in UNTC."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.contrib.auth.models import User
from django.forms import NullBooleanSelect
from django.test import Client

from ratification.models import Action, Origin, Treaty
from tests.alerts.conftest import eager_celery  # noqa: F401 (the alerts' fixtures, used here too)
from tests.support.http_server import ok
from tests.support.untc_files import URL_PATH, hanoi_file, hanoi_rows

D = datetime.date


@pytest.fixture
def staff_user(db) -> User:
    return User.objects.create_superuser("ada", "ada@example.org", "correct horse battery staple")


@pytest.fixture
def staff(staff_user) -> Client:
    """A logged-in staff member's browser."""
    client = Client()
    client.force_login(staff_user)
    return client


def serve(untc, *bodies, path: str = URL_PATH) -> None:
    """Answer `path` with these bodies in turn (bytes become 200s); the last one repeats."""
    untc.routes[path] = [ok(body) if isinstance(body, bytes) else body for body in bodies]


@pytest.fixture
def confirmed(treaty, untc) -> Treaty:
    """XVIII-16 as a first good poll of the real file leaves it: the seeded rows confirmed by
    the source and the file's hash kept, so later polls announce. Written directly (a real
    first poll is tested in tests/services and costs half a second per test here)."""
    body = hanoi_file(hanoi_rows())
    serve(untc, body)
    Action.objects.filter(treaty=treaty).update(origin=Origin.SOURCE, provenance="untc")
    Treaty.objects.filter(pk=treaty.pk).update(source_hash=hashlib.sha256(body).hexdigest())
    return Treaty.objects.get(pk=treaty.pk)


def form_data(response) -> dict:
    """The values a rendered admin form would post back (what a browser submits unchanged)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool) and not isinstance(field.widget, NullBooleanSelect):
            if value:
                data[name] = "on"
            continue
        data[name] = value if isinstance(value, list) else field.widget.format_value(value) or value
    return data
