"""What other sites show of a treaty: the live badge, the embed card and the oEmbed answer.

- `/treaties/<mtdsg>/badge.svg`: a shields-style badge ("UN Convention against Cybercrime | 12 / 40",
  later "in force since …"), for READMEs and web pages;
- `/treaties/<mtdsg>/embed/`: a small progress card made for an iframe, the only page any site may
  frame; plain HTML and CSS, no script, no cookie;
- `/oembed/?url=…`: the oEmbed answer (oembed.com) that lets a content system turn a pasted status
  page link into that iframe; the status page names it in a discovery `<link>`.

The badge and the card are in `?lang=en|fr|cs` when asked, else in the reader's language. Both
are served from the one response cache (ratification/cache.py) with an ETag, and may be reused for
`EMBED_MAX_AGE` seconds by browsers and proxies: they are loaded by every visitor of the pages
that show them.
"""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt

from ratification import badges, page_selectors, selectors
from ratification.cache import cached_response
from ratification.models import Treaty
from ratification.wording.events import count_sentence
from tracker.language import request_language

EMBED_MAX_AGE = 5 * 60  # seconds; also the oEmbed `cache_age`
EMBED_WIDTH, EMBED_HEIGHT = 400, 200  # the card's size in the iframe snippets and oEmbed
NARROW_EMBED_HEIGHT = 250  # below EMBED_WIDTH the card's lines wrap
COLOURS = {"counting": "#0b5cad", "provisional": "#2e7d32", "entering": "#2e7d32", "in_force": "#2e7d32"}
# The pages a pasted link may point to, and so be embedded.
EMBEDDABLE_PAGES = ("home", "treaty", "treaty-embed")


def requested_language(request: HttpRequest) -> str:
    """`?lang=` when it names one of the site's languages, else the reader's."""
    return request_language(request)


def treaty_state(summary: selectors.TreatySummary, today: datetime.date) -> str:
    if summary.entry_into_force_on is None:
        if summary.provisional_entry_into_force_on is not None:
            return "provisional"
        return "counting"
    return "in_force" if summary.entry_into_force_on <= today else "entering"


def badge_message(summary: selectors.TreatySummary, state: str) -> str:
    """The badge's right half: the count toward a known threshold ("12 / 40"), or the parties
    when no rule is known ("191 parties"); then the date of entry into force."""
    if state == "counting" and summary.counting:
        return f"{summary.counted} / {summary.threshold}"
    if state == "counting":
        return ngettext("%(count)s party", "%(count)s parties", summary.parties) % {"count": summary.parties}
    if state == "provisional":
        date = formats.date_format(summary.provisional_entry_into_force_on, "DATE_FORMAT")
        return _("provisionally in force since %(date)s") % {"date": date}
    date = formats.date_format(summary.entry_into_force_on, "DATE_FORMAT")
    if state == "in_force":
        return _("in force since %(date)s") % {"date": date}
    return _("in force on %(date)s") % {"date": date}


def status_sentence(summary: selectors.TreatySummary, state: str) -> str:
    """What the badge says, in a sentence for screen readers (its title)."""
    if state == "counting" and summary.counting:
        status = count_sentence(summary.counted, summary.threshold)
    else:
        status = badge_message(summary, state)
    return _("%(treaty)s: %(status)s") % {"treaty": summary.treaty.display_title, "status": status}


@cached_response(max_age=EMBED_MAX_AGE)
def treaty_badge(request: HttpRequest, mtdsg: str) -> HttpResponse:
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    language = requested_language(request)
    with translation.override(language):
        summary = selectors.treaty_summary(treaty=treaty)
        state = treaty_state(summary, timezone.localdate())
        layout = badges.badge_layout(
            label=treaty.display_title, message=badge_message(summary, state), colour=COLOURS[state]
        )
        svg = render_to_string(
            "ratification/badge.svg",
            {"badge": layout, "title": status_sentence(summary, state), "language": language},
        )
    return _in_language(HttpResponse(svg, content_type="image/svg+xml; charset=utf-8"), language)


def _in_language(response: HttpResponse, language: str) -> HttpResponse:
    # LocaleMiddleware would name the reader's language, not the one `?lang=` chose.
    response.headers["Content-Language"] = language
    return response


# Any site may frame the card: Content-Security-Policy's frame-ancestors (which browsers obey over
# X-Frame-Options) opened for this path alone. Set on the response itself, so the stored copy
# served from the cache carries it too (the CSP middleware adds its own only where none is set).
EMBED_POLICY = {"frame-ancestors": ["*"]}


@cached_response(max_age=EMBED_MAX_AGE)
@xframe_options_exempt
def treaty_embed(request: HttpRequest, mtdsg: str) -> HttpResponse:
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    today = timezone.localdate()
    language = requested_language(request)
    with translation.override(language):
        summary = selectors.treaty_summary(treaty=treaty)
        context = {
            "treaty": treaty,
            "summary": summary,
            "today": today,
            "state": treaty_state(summary, today),
            "progress_value": min(summary.counted, summary.threshold) if summary.counting else None,
            "progress_percent": min(100, round(100 * summary.counted / summary.threshold))
            if summary.counting and summary.threshold
            else 0,
            "polls": selectors.treaty_freshness(treaty=treaty),
        }
        # No request: nothing here may ask for a CSRF token or the session (no cookie is set).
        response = HttpResponse(render_to_string("ratification/embed.html", context))
    response[CSP_HEADER] = build_policy(replace=EMBED_POLICY)
    return _in_language(response, language)


def embed_size(*, maxwidth: str | None, maxheight: str | None) -> tuple[int, int]:
    """The iframe's size: the card's own, within the consumer's maxwidth and maxheight (oEmbed 2.2).

    ValueError, saying which, for a value that is not a whole number of pixels."""
    width = min(EMBED_WIDTH, _pixels("maxwidth", maxwidth) or EMBED_WIDTH)
    height = EMBED_HEIGHT if width >= EMBED_WIDTH else NARROW_EMBED_HEIGHT
    return width, min(height, _pixels("maxheight", maxheight) or height)


def _pixels(name: str, value: str | None) -> int | None:
    """A maxwidth or maxheight: None when absent or 0. ASCII digits only: `str.isdigit` also
    accepts "²" and other digits `int()` refuses (a 500 before)."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"{name} must be a whole number of pixels, such as 400 (got {value[:20]!r}).")
    # Any width past a billion pixels is as good as none; int() refuses over 4,300 digits.
    return (int(value) if len(value) < 10 else 10**9) or None


def embed_iframe(*, src: str, title: str, width: int = EMBED_WIDTH, height: int = EMBED_HEIGHT) -> str:
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" style="border:0;max-width:100%" loading="lazy"></iframe>',
        src,
        width,
        height,
        title,
    )


def embedded_treaty(request: HttpRequest, url: str) -> tuple[Treaty, str]:
    """The treaty whose page on this site `url` is, and the language it asks for (or "").

    Http404 for anything else: another site, another page, an unknown treaty.
    """
    parts = urlsplit(url)
    ours = {request.get_host().lower(), urlsplit(settings.SITE_URL).netloc.lower()}
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in ours:
        raise Http404("Not a page of this site.")
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        raise Http404("Not a treaty's page.") from None
    if match.url_name not in EMBEDDABLE_PAGES:
        raise Http404("Not a treaty's page.")
    treaty = page_selectors.page_treaty(mtdsg=match.kwargs.get("mtdsg"))
    language = (parse_qs(parts.query).get("lang") or [""])[0]
    return treaty, language if language in dict(settings.LANGUAGES) else ""


@cached_response(max_age=EMBED_MAX_AGE)
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed 1.0 (oembed.com, section 2.3): a `rich` answer whose html is the embed's iframe."""
    if "url" not in request.GET:
        return HttpResponseBadRequest("The url parameter is required.", content_type="text/plain")
    if request.GET.get("format", "json") != "json":
        # Section 2.3.4: a format the provider does not offer is 501 Not Implemented.
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain")
    treaty, language = embedded_treaty(request, request.GET["url"])
    try:
        width, height = embed_size(maxwidth=request.GET.get("maxwidth"), maxheight=request.GET.get("maxheight"))
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain")
    src = embed_url(request, treaty, language=language)
    title = _("%(treaty)s: ratification status") % {"treaty": treaty.display_title}
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": treaty.display_title,
            "provider_name": _("Treaty ratification tracker"),
            "provider_url": request.build_absolute_uri("/"),
            "cache_age": EMBED_MAX_AGE,
            "width": width,
            "height": height,
            "html": embed_iframe(src=src, title=title, width=width, height=height),
        }
    )


def embed_url(request: HttpRequest, treaty: Treaty, *, language: str = "") -> str:
    path = reverse("treaty-embed", kwargs={"mtdsg": treaty.mtdsg})
    return request.build_absolute_uri(path + (f"?{urlencode({'lang': language})}" if language else ""))


def share_context(request: HttpRequest, treaty: Treaty) -> dict:
    """The status page's copy-and-paste snippets and its oEmbed discovery link.

    The badge's snippets carry the page's language when it is not the default (a README's
    badge is fetched through image proxies that drop the reader's language); the embed's do not,
    so the card follows each visitor's browser.
    """
    language = translation.get_language()
    query = f"?{urlencode({'lang': language})}" if language != settings.LANGUAGE_CODE else ""
    page = request.build_absolute_uri(reverse("treaty", kwargs={"mtdsg": treaty.mtdsg}))
    badge = request.build_absolute_uri(reverse("treaty-badge", kwargs={"mtdsg": treaty.mtdsg})) + query
    alt = _("%(treaty)s: ratification status") % {"treaty": treaty.display_title}
    return {
        "badge_url": badge,
        "badge_alt": alt,
        "badge_markdown": f"[![{_markdown_text(alt)}]({badge})]({page})",
        "badge_html": format_html('<a href="{}"><img src="{}" alt="{}"></a>', page, badge, alt),
        "embed_html": embed_iframe(src=embed_url(request, treaty), title=alt),
        "oembed_url": request.build_absolute_uri(reverse("oembed")) + "?" + urlencode({"url": page, "format": "json"}),
    }


def _markdown_text(text: str) -> str:
    # Brackets would end the image's alt text early.
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
