"""The site's own 404 and 500 pages, in the reader's language, and the favicon browsers ask for."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path


def broken_view(request):
    raise RuntimeError("a bug in a view")


# The project's URLs plus one view that fails, to see the page a real failure gets.
urlpatterns = [path("broken/", broken_view), path("", include("tracker.urls"))]


@pytest.mark.django_db
class NotFoundPageTests:
    def test_it_is_the_sites_own_page_with_a_way_back(self, client, treaty):
        response = client.get("/no/such/page/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "There is no page at this address" in page
        assert 'href="/static/css/site.css"' in page
        assert '<a href="/">' in page

    def test_it_speaks_the_readers_language(self, client, treaty):
        french = client.get("/treaties/XXVI-9/", headers={"accept-language": "fr"})
        assert french.status_code == 404
        assert '<html lang="fr">' in french.content.decode()
        assert "Il n'y a pas de page à cette adresse" in french.content.decode()
        czech = client.get("/no/such/page/", headers={"accept-language": "cs"}).content.decode()
        assert "Na této adrese žádná stránka není" in czech


@pytest.mark.django_db
class ServerErrorPageTests:
    def test_it_is_the_sites_own_page_in_the_readers_language(self, settings):
        settings.ROOT_URLCONF = __name__
        client = Client(raise_request_exception=False)
        response = client.get("/broken/", headers={"accept-language": "cs"})
        assert response.status_code == 500
        page = response.content.decode()
        assert '<html lang="cs">' in page
        assert "Něco se u nás pokazilo" in page
        assert "a bug in a view" not in page


@pytest.mark.django_db
class FaviconTests:
    def test_favicon_ico_is_served_at_the_root_and_cached(self, client):
        response = client.get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/x-icon"
        assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
        assert "max-age=86400" in response["Cache-Control"]

    def test_pages_declare_it(self, client, treaty):
        page = client.get("/").content.decode()
        assert '<link rel="icon" href="/static/favicon.ico"' in page
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
