"""Which language a request is answered in: `?lang=` first, else the reader's.

Every page says "add ?lang=en, ?lang=fr or ?lang=cs to an address", so `?lang=` is honoured
everywhere, not only by the badge and the card: a link shared in French opens in French whatever
the browser asks for. Without it, Django's order applies (the switcher's cookie, then
Accept-Language). The response cache keys its answers on the same choice (ratification/cache.py).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.views.i18n import set_language as django_set_language

PARAMETER = "lang"


def asked_language(request: HttpRequest) -> str:
    """The language `?lang=` names, or "" when it names none of the site's."""
    asked = request.GET.get(PARAMETER, "")
    return asked if asked in dict(settings.LANGUAGES) else ""


def request_language(request: HttpRequest) -> str:
    """`?lang=` when it names one of the site's languages, else the reader's (cookie, Accept-Language)."""
    return asked_language(request) or translation.get_language_from_request(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, with `?lang=` taking precedence over the cookie and Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        asked = asked_language(request)
        if asked:
            translation.activate(asked)
            request.LANGUAGE_CODE = translation.get_language()


def without_lang(url: str) -> str:
    """`url` without its `lang` parameter."""
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != PARAMETER]
    return urlunsplit(parts._replace(query=urlencode(query)))


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's view, returning to the page without its `?lang=`: the switcher's choice must win
    over the language the address asked for (it would switch back at once)."""
    if request.method == "POST" and PARAMETER in request.POST.get("next", ""):
        request.POST = request.POST.copy()
        request.POST["next"] = without_lang(request.POST["next"])
    return django_set_language(request)
