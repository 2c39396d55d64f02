from __future__ import annotations

import pytest


@pytest.mark.django_db
class FirstStatusPageTests:
    def test_it_lists_the_72_signatories_with_their_dates(self, client, treaty):
        response = client.get("/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "72 signatories" in page
        assert "<strong>0</strong> of 40 instruments counted" in page
        assert "Côte d&#x27;Ivoire" in page
        assert page.count('<th scope="row">') == 72
        assert 'datetime="2025-10-26"' in page  # Mali, Rwanda, Saudi Arabia

    def test_it_serves_any_treaty_by_its_mtdsg_number(self, client, treaty):
        assert client.get("/treaties/XVIII-16/").status_code == 200
        assert client.get("/treaties/XXVI-9/").status_code == 404

    def test_it_explains_how_to_seed_when_nothing_is_stored(self, client, db):
        response = client.get("/")
        assert response.status_code == 404
