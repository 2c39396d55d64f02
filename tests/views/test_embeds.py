"""The badge, the embed card and the oEmbed endpoint: what other sites show of a treaty."""

from __future__ import annotations

import datetime
import html
import json
import re
import xml.etree.ElementTree as ElementTree
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from ratification.models import Treaty
from tests.views.conftest import deposit, first_instruments

SVG = "{http://www.w3.org/2000/svg}"
BADGE = "/treaties/XVIII-16/badge.svg"
EMBED = "/treaties/XVIII-16/embed/"

pytestmark = pytest.mark.django_db


def svg(response) -> ElementTree.Element:
    """The badge, parsed as XML (a malformed SVG raises here)."""
    return ElementTree.fromstring(response.content)


def badge_texts(root: ElementTree.Element) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


def oembed(client, url: str, **params: str):
    return client.get("/oembed/?" + urlencode({"url": url, **params}))


@pytest.fixture
def in_force(treaty, time_machine):
    """XVIII-16 with 40 instruments by 28 February 2026: in force on 29 May 2026; today is 1 July."""
    first_instruments(treaty, 40, start=datetime.date(2025, 11, 3), every=datetime.timedelta(days=3))
    time_machine.move_to(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC), tick=False)
    return treaty


class BadgeTests:
    def test_it_is_valid_svg_with_the_name_and_the_count(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        response = client.get(BADGE)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        root = svg(response)
        assert root.tag == f"{SVG}svg"
        assert badge_texts(root) == ["UN Convention against Cybercrime"] * 2 + ["1 / 40"] * 2

    def test_it_has_an_accessible_name_in_a_sentence(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        root = svg(client.get(BADGE))
        title = "UN Convention against Cybercrime: 1 of 40 instruments counted"
        assert root.get("role") == "img"
        assert root.get("aria-label") == title
        assert root.find(f"{SVG}title").text == title

    def test_its_boxes_fit_their_texts(self, client, treaty):
        root = svg(client.get(BADGE))
        width = float(root.get("width"))
        label_box, message_box = root.findall(f"{SVG}g/{SVG}rect")[:2]
        assert float(label_box.get("width")) + float(message_box.get("width")) == pytest.approx(width, abs=0.11)
        texts = root.findall(f"{SVG}g/{SVG}text")
        assert float(texts[0].get("textLength")) < float(label_box.get("width"))
        assert float(texts[2].get("textLength")) < float(message_box.get("width"))

    def test_once_in_force_it_says_since_when(self, client, in_force):
        root = svg(client.get(BADGE))
        assert badge_texts(root)[2] == "in force since May 29, 2026"
        assert root.get("aria-label") == "UN Convention against Cybercrime: in force since May 29, 2026"

    def test_between_the_threshold_and_entry_into_force_it_gives_the_date(self, client, in_force, time_machine):
        time_machine.move_to(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC), tick=False)
        assert badge_texts(svg(client.get(BADGE)))[2] == "in force on May 29, 2026"

    def test_lang_chooses_french_or_czech(self, client, in_force):
        french = client.get(BADGE + "?lang=fr")
        assert french["Content-Language"] == "fr"
        assert badge_texts(svg(french))[2] == "en vigueur depuis le 29 mai 2026"
        czech = svg(client.get(BADGE + "?lang=cs"))
        assert czech.get("{http://www.w3.org/XML/1998/namespace}lang") == "cs"
        assert badge_texts(czech)[2] == "v platnosti od 29. května 2026"

    def test_without_lang_it_speaks_the_readers_language(self, client, treaty):
        root = svg(client.get(BADGE, headers={"accept-language": "fr"}))
        # French puts 0 and 1 in the singular.
        assert root.get("aria-label") == "UN Convention against Cybercrime : 0 instrument comptabilisé sur 40"

    def test_an_unknown_lang_is_ignored(self, client, treaty):
        assert svg(client.get(BADGE + "?lang=de")).get("aria-label").endswith("0 of 40 instruments counted")

    def test_a_long_name_is_shortened_on_the_badge_but_whole_in_its_title(self, client, db):
        title = "Convention on the Prohibition of the Development, Production and Stockpiling of Weapons"
        Treaty.objects.create(mtdsg="XXVI-1", chapter="XXVI", title=title, xml_path="doc/x.xml")
        root = svg(client.get("/treaties/XXVI-1/badge.svg"))
        assert badge_texts(root)[0] == "Convention on the Prohibition…"
        assert root.get("aria-label") == f"{title}: 0 parties"  # no known rule: no count toward a number

    def test_a_name_with_markup_characters_stays_valid_xml(self, client, db):
        Treaty.objects.create(mtdsg="XXVI-2", chapter="XXVI", title='The "A & B" <Treaty>', xml_path="doc/x.xml")
        assert badge_texts(svg(client.get("/treaties/XXVI-2/badge.svg")))[0] == 'The "A & B" <Treaty>'

    def test_it_has_an_etag_answers_304_and_may_be_reused_for_five_minutes(self, client, treaty):
        response = client.get(BADGE)
        assert response["Cache-Control"] == "public, max-age=300"
        again = client.get(BADGE, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304
        assert again["Cache-Control"] == "public, max-age=300"

    def test_a_new_instrument_changes_its_etag(self, client, treaty):
        etag = client.get(BADGE)["ETag"]
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        response = client.get(BADGE, headers={"if-none-match": etag})
        assert response.status_code == 200
        assert badge_texts(svg(response))[2] == "1 / 40"

    def test_each_language_has_its_own_etag(self, client, treaty):
        etags = {client.get(BADGE + query)["ETag"] for query in ("", "?lang=fr", "?lang=cs")}
        assert len(etags) == 3

    def test_it_sets_no_cookie(self, client, treaty):
        for _ in range(2):  # built, then from the cache
            response = client.get(BADGE + "?lang=fr")
            assert "Set-Cookie" not in response.headers
        assert not client.cookies

    def test_an_unknown_treaty_is_404(self, client, treaty):
        assert client.get("/treaties/XXVI-99/badge.svg").status_code == 404


class EmbedTests:
    def test_it_is_a_small_page_with_the_headline_the_count_and_a_progress_bar(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        page = client.get(EMBED).content.decode()
        assert '<html lang="en">' in page
        assert "Not yet in force: 39 more instruments needed" in page
        assert "<strong>1</strong> of 40 instruments counted" in page
        assert '<progress max="40" value="1" aria-labelledby="count-label">' in page

    def test_it_needs_no_javascript_and_loads_only_its_own_stylesheet(self, client, treaty):
        page = client.get(EMBED).content.decode()
        assert "<script" not in page
        assert "<form" not in page
        assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) == ["/static/css/embed.css"]

    def test_its_links_open_the_full_page_in_a_new_tab_and_say_so(self, client, treaty):
        page = client.get(EMBED).content.decode()
        links = re.findall(r"<a [^>]*>.*?</a>", page)
        assert len(links) == 2
        for link in links:
            assert 'href="/treaties/XVIII-16/"' in link
            assert 'target="_blank" rel="noopener"' in link
            assert "(opens in a new tab)" in link

    def test_any_site_may_frame_it(self, client, treaty):
        for _ in range(2):  # built, then from the cache
            response = client.get(EMBED)
            assert "X-Frame-Options" not in response.headers
            assert "frame-ancestors *" in response["Content-Security-Policy"]
            assert "default-src 'self'" in response["Content-Security-Policy"]

    @pytest.mark.parametrize("url", ["/", "/treaties/XVIII-16/", BADGE, "/oembed/?url=http://testserver/"])
    def test_no_other_page_may_be_framed(self, client, treaty, url):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

    def test_it_sets_no_cookie_in_any_language(self, client, treaty):
        for query in ("", "", "?lang=cs", "?lang=cs"):
            response = client.get(EMBED + query, headers={"accept-language": "fr"})
            assert response.status_code == 200
            assert "Set-Cookie" not in response.headers
        assert not client.cookies

    def test_lang_chooses_the_language(self, client, treaty):
        response = client.get(EMBED + "?lang=cs")
        assert response["Content-Language"] == "cs"
        page = response.content.decode()
        assert '<html lang="cs">' in page
        assert "Ještě nevstoupila v platnost" in page

    def test_it_is_cached_with_an_etag(self, client, treaty):
        response = client.get(EMBED)
        assert response["Cache-Control"] == "public, max-age=300"
        assert client.get(EMBED, headers={"if-none-match": response["ETag"]}).status_code == 304

    def test_an_unknown_treaty_is_404(self, client, treaty):
        assert client.get("/treaties/XXVI-99/embed/").status_code == 404


class OEmbedTests:
    def test_a_status_page_link_gets_a_rich_answer_with_the_embeds_iframe(self, client, treaty):
        response = oembed(client, "http://testserver/treaties/XVIII-16/", format="json")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        answer = json.loads(response.content)
        assert answer["version"] == "1.0"
        assert answer["type"] == "rich"
        assert answer["title"] == "UN Convention against Cybercrime"
        assert answer["provider_name"] == "Treaty ratification tracker"
        assert answer["provider_url"] == "http://testserver/"
        assert (answer["width"], answer["height"]) == (400, 200)
        assert answer["cache_age"] == 300
        iframe = answer["html"]
        assert iframe.startswith('<iframe src="http://testserver/treaties/XVIII-16/embed/" width="400" height="200"')
        assert 'title="UN Convention against Cybercrime: ratification status"' in iframe

    def test_the_home_page_and_the_embed_itself_are_the_default_treaty(self, client, treaty):
        for url in ("http://testserver/", "http://testserver/treaties/XVIII-16/embed/"):
            assert "/treaties/XVIII-16/embed/" in json.loads(oembed(client, url).content)["html"]

    def test_it_keeps_within_maxwidth_and_maxheight(self, client, treaty):
        answer = json.loads(oembed(client, "http://testserver/", maxwidth="300", maxheight="180").content)
        assert (answer["width"], answer["height"]) == (300, 180)
        assert 'width="300" height="180"' in answer["html"]
        roomy = json.loads(oembed(client, "http://testserver/", maxwidth="1000", maxheight="1000").content)
        assert (roomy["width"], roomy["height"]) == (400, 200)

    def test_a_narrow_card_is_taller(self, client, treaty):
        answer = json.loads(oembed(client, "http://testserver/", maxwidth="320").content)
        assert (answer["width"], answer["height"]) == (320, 250)

    def test_the_language_of_the_pasted_link_carries_into_the_iframe(self, client, treaty):
        answer = json.loads(oembed(client, "http://testserver/treaties/XVIII-16/?lang=fr").content)
        src = html.unescape(re.search(r'src="([^"]+)"', answer["html"]).group(1))
        assert parse_qs(urlsplit(src).query) == {"lang": ["fr"]}

    def test_the_iframe_it_gives_is_the_embed(self, client, treaty):
        answer = json.loads(oembed(client, "http://testserver/treaties/XVIII-16/").content)
        src = re.search(r'src="([^"]+)"', answer["html"]).group(1)
        assert client.get(urlsplit(src).path).status_code == 200

    @pytest.mark.parametrize(
        "url",
        [
            "https://elsewhere.example.org/treaties/XVIII-16/",
            "http://testserver/participants/FRA/",
            "http://testserver/treaties/XVIII-16/participants.csv",
            "http://testserver/treaties/XXVI-99/",
            "http://testserver/no/such/page/",
            "ftp://testserver/treaties/XVIII-16/",
            "not a url",
        ],
    )
    def test_a_link_that_is_not_one_of_this_sites_treaty_pages_is_404(self, client, treaty, url):
        assert oembed(client, url).status_code == 404

    def test_xml_is_not_implemented(self, client, treaty):
        response = oembed(client, "http://testserver/treaties/XVIII-16/", format="xml")
        assert response.status_code == 501

    def test_a_request_without_url_is_400(self, client, treaty):
        assert client.get("/oembed/").status_code == 400

    def test_it_sets_no_cookie(self, client, treaty):
        assert "Set-Cookie" not in oembed(client, "http://testserver/").headers

    @pytest.mark.parametrize("name", ["maxwidth", "maxheight"])
    @pytest.mark.parametrize("value", ["\u00b2", "\u0663", "-5", "12px", "1.5", "\uff11\uff10"])
    def test_a_size_that_is_not_a_whole_number_of_pixels_is_400_naming_it(self, client, treaty, name, value):
        response = oembed(client, "http://testserver/", **{name: value})
        assert response.status_code == 400
        assert f"{name} must be a whole number of pixels".encode() in response.content

    def test_an_enormous_size_is_as_good_as_none(self, client, treaty):
        answer = json.loads(oembed(client, "http://testserver/", maxwidth="9" * 5000).content)
        assert answer["width"] == 400

    def test_another_site_may_read_it_from_a_browser_served_fresh_or_from_the_cache(self, client, treaty):
        for _ in range(2):  # the second answer comes from the response cache
            response = client.get(
                "/oembed/?" + urlencode({"url": "http://testserver/"}), headers={"Origin": "https://cms.example.org"}
            )
            assert response.status_code == 200
            assert response["Access-Control-Allow-Origin"] == "*"
            assert "Access-Control-Allow-Credentials" not in response


class StatusPageSharingTests:
    def test_it_names_its_oembed_endpoint_for_discovery(self, client, treaty):
        page = client.get("/treaties/XVIII-16/").content.decode()
        link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page).group(1)
        endpoint = html.unescape(link)
        assert endpoint.startswith("http://testserver/oembed/?")
        assert parse_qs(urlsplit(endpoint).query) == {
            "url": ["http://testserver/treaties/XVIII-16/"],
            "format": ["json"],
        }
        assert json.loads(client.get(endpoint).content)["type"] == "rich"

    def test_it_offers_the_snippets_in_labelled_read_only_fields(self, client, treaty):
        page = client.get("/").content.decode()
        fields = re.findall(r'<textarea id="([^"]+)" rows="3" readonly spellcheck="false">(.*?)</textarea>', page)
        snippets = dict(fields)
        assert set(snippets) == {"snippet-badge-markdown", "snippet-badge-html", "snippet-embed"}
        for field in snippets:
            assert f'<label for="{field}">' in page
        badge = "http://testserver/treaties/XVIII-16/badge.svg"
        assert html.unescape(snippets["snippet-badge-markdown"]) == (
            f"[![UN Convention against Cybercrime: ratification status]({badge})](http://testserver/treaties/XVIII-16/)"
        )
        assert html.unescape(snippets["snippet-badge-html"]) == (
            f'<a href="http://testserver/treaties/XVIII-16/"><img src="{badge}" '
            'alt="UN Convention against Cybercrime: ratification status"></a>'
        )
        assert html.unescape(snippets["snippet-embed"]).startswith(
            '<iframe src="http://testserver/treaties/XVIII-16/embed/" width="400" height="200"'
        )
        assert f'<img src="{badge}"' in page

    def test_in_french_the_badge_snippets_ask_for_a_french_badge(self, client, treaty):
        page = client.get("/", headers={"accept-language": "fr"}).content.decode()
        assert "Afficher cet état sur votre site" in page
        assert "/treaties/XVIII-16/badge.svg?lang=fr" in page
        assert "/treaties/XVIII-16/embed/&quot;" in page  # the card follows each visitor's language
