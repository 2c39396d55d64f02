"""Only staff get in; every form carries CSRF; five failed logins lock a username+address for an hour."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from ratification.models import Treaty
from tracker.client_ip import client_ip

pytestmark = pytest.mark.django_db
LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery staple"


def login(client: Client, username: str = "ada", password: str = "wrong", **headers):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **headers)


class StaffOnlyTests:
    @pytest.mark.parametrize(
        "url",
        [
            "/admin/",
            "/admin/ratification/action/",
            "/admin/ratification/treaty/1/poll/",
            "/admin/ratification/pollrun/1/raw/",
        ],
    )
    def test_it_sends_anonymous_visitors_to_the_login_page(self, client, treaty, url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")

    def test_it_refuses_a_logged_in_user_who_is_not_staff(self, client, treaty):
        outsider = User.objects.create_user("eve", "eve@example.org", PASSWORD)
        client.force_login(outsider)
        response = client.get("/admin/ratification/action/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        poll = client.post(reverse("admin:ratification_treaty_poll", args=[treaty.pk]))
        assert poll.status_code == 302 and poll["Location"].startswith(LOGIN)

    def test_it_refuses_staff_without_the_permission_to_change(self, client, treaty):
        viewer = User.objects.create_user("vic", "vic@example.org", PASSWORD, is_staff=True)
        client.force_login(viewer)
        assert client.get(reverse("admin:ratification_treaty_poll", args=[treaty.pk])).status_code == 403
        assert client.get(reverse("admin:ratification_action_add")).status_code == 403


class CsrfTests:
    def test_it_refuses_an_admin_post_without_the_token(self, staff_user, treaty):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(staff_user)
        poll = browser.post(reverse("admin:ratification_treaty_poll", args=[treaty.pk]))
        assert poll.status_code == 403
        edit = browser.post(reverse("admin:ratification_treaty_change", args=[treaty.pk]), {"eif_threshold": "1"})
        assert edit.status_code == 403
        assert Treaty.objects.get(pk=treaty.pk).eif_threshold == 40

    def test_it_accepts_the_same_post_with_the_token_from_the_page(self, staff_user, treaty, untc):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(staff_user)
        url = reverse("admin:ratification_treaty_poll", args=[treaty.pk])
        page = browser.get(url)
        token = page.context["csrf_token"]
        assert browser.post(url, {"csrfmiddlewaretoken": str(token)}).status_code == 302


class LockoutTests:
    def test_it_locks_a_username_and_address_out_after_five_failures_for_an_hour(self, client, staff_user):
        for _ in range(4):
            assert login(client).status_code == 200  # the form again, with an error
        assert login(client).status_code == 429
        locked = login(client, password=PASSWORD)
        assert locked.status_code == 429
        assert "Too many failed logins" in locked.content.decode()
        assert "_auth_user_id" not in client.session
        with time_machine.travel(datetime.timedelta(minutes=59)):
            assert login(client, password=PASSWORD).status_code == 429
        with time_machine.travel(datetime.timedelta(hours=1, minutes=1)):
            assert login(client, password=PASSWORD).status_code == 302

    def test_it_locks_only_that_username_from_that_address(self, client, staff_user):
        for _ in range(5):
            login(client)
        User.objects.create_superuser("bob", "bob@example.org", PASSWORD)
        assert login(Client(), "bob", PASSWORD).status_code == 302
        assert login(Client(REMOTE_ADDR="198.51.100.7"), "ada", PASSWORD).status_code == 302

    def test_a_forged_forwarded_for_header_does_not_reset_the_count(self, client, staff_user):
        for n in range(5):
            login(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert login(client, password=PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429

    def test_a_success_resets_the_count(self, client, staff_user):
        for _ in range(4):
            login(client)
        assert login(client, password=PASSWORD).status_code == 302
        for _ in range(4):
            assert login(Client()).status_code == 200


class ClientAddressTests:
    def request(self, rf, forwarded: str | None):
        headers = {"REMOTE_ADDR": "10.0.0.2"}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        return rf.get("/", **headers)

    def test_it_ignores_the_header_with_no_proxy_configured(self, rf, settings):
        settings.NUM_PROXIES = 0
        assert client_ip(self.request(rf, "203.0.113.5")) == "10.0.0.2"

    def test_it_takes_the_address_our_proxy_appended(self, rf, settings):
        settings.NUM_PROXIES = 1
        assert client_ip(self.request(rf, "1.2.3.4, 203.0.113.5")) == "203.0.113.5"
        assert client_ip(self.request(rf, None)) == "10.0.0.2"
