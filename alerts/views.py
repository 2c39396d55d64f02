"""Public pages of the alerts: sign up, confirm, manage or leave. Views parse, call, render.

URLs (alerts/urls.py):
- /subscribe/                      GET the form, POST sign up (same answer whatever the address's state)
- /subscribe/confirm/<token>/      GET a page with a button, POST confirms (7-day signed link)
- /subscribe/confirm/<token>/new/  POST: a fresh link for an expired one
- /u/<token>/                      GET the preferences page; POST unsubscribes (RFC 8058 one-click,
                                   no cookie or CSRF token needed); the List-Unsubscribe URL
- /u/<token>/preferences/          POST new preferences (a browser form, CSRF-protected)
- /alerts/webhooks/bounces/        POST from the mail relay, signed (services/bounces.py)

HEAD is answered wherever GET is (RFC 9110, 9.3.2), as GET without acting on anything.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from alerts import ratelimit, selectors, tokens
from alerts.forms import PreferencesForm, SubscribeForm
from alerts.models import Subscription
from alerts.services import bounces
from alerts.services import subscriptions as services
from ratification.selectors import default_treaty


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/bad_link.html", status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        treaty = selectors.subscribable_treaties().filter(mtdsg=request.GET.get("treaty")).first() or default_treaty()
        form = SubscribeForm(initial={"treaty": treaty.mtdsg if treaty else None})
        return render(request, "alerts/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    services.subscription_request(
        email=form.cleaned_data["email"],
        treaty=form.cleaned_data["treaty"],
        scope=form.cleaned_data["scope"],
        stages=form.cleaned_data["stages"],
        statements=form.cleaned_data["statements"],
        participant_codes=form.cleaned_data["participants"],
        language=get_language() or "en",
        client_ip=ratelimit.client_ip(request),
    )
    # The same page for every address, whatever its state: nobody learns who subscribed.
    return render(request, "alerts/subscribe_sent.html", {"email": form.cleaned_data["email"]})


def _preferences(subscription: Subscription) -> PreferencesForm:
    return PreferencesForm(
        initial={
            "scope": subscription.scope,
            "stages": subscription.stages,
            "statements": subscription.statements,
            "participants": sorted(subscription.participant_codes),
        }
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button (mail scanners follow links); the POST confirms."""
    try:
        subscription = tokens.subscription_from_confirm_token(token)
    except tokens.ExpiredToken:
        return render(request, "alerts/confirm_expired.html", {"token": token}, status=410)
    except tokens.InvalidToken:
        return _bad_link(request)
    confirmed_now = False
    if request.method == "POST":
        confirmed_now = services.subscription_confirm(subscription=subscription)
    context = {
        "subscription": subscription,
        "confirmed_now": confirmed_now,
        "manage_url": tokens.manage_url(subscription),
        "participant_names": selectors.participant_names(codes=subscription.participant_codes),
    }
    return render(request, "alerts/confirm.html", context)


@never_cache
@require_POST
def confirm_resend(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = tokens.subscription_from_confirm_token(token, allow_expired=True)
    except tokens.InvalidToken:
        return _bad_link(request)
    services.subscription_confirmation_resend(subscription=subscription)
    return render(request, "alerts/subscribe_sent.html", {"email": subscription.subscriber.email})


@never_cache
@csrf_exempt  # RFC 8058: the mail provider POSTs with no cookie; the signed token is the authority
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = tokens.subscription_from_manage_token(token)
    except tokens.InvalidToken:
        return _bad_link(request)
    if request.method == "POST":
        services.subscription_unsubscribe(subscription=subscription)
        return render(request, "alerts/unsubscribed.html", {"subscription": subscription, "token": token})
    context = _manage_context(subscription, token, _preferences(subscription))
    return render(request, "alerts/manage.html", {**context, "saved": "saved" in request.GET})


@never_cache
@require_POST
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = tokens.subscription_from_manage_token(token)
    except tokens.InvalidToken:
        return _bad_link(request)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/manage.html", _manage_context(subscription, token, form), status=400)
    services.subscription_preferences_update(
        subscription=subscription,
        scope=form.cleaned_data["scope"],
        stages=form.cleaned_data["stages"],
        statements=form.cleaned_data["statements"],
        participant_codes=form.cleaned_data["participants"],
    )
    return redirect(reverse("alerts:manage", kwargs={"token": token}) + "?saved=1")


def _manage_context(subscription: Subscription, token: str, form: PreferencesForm) -> dict:
    return {
        "subscription": subscription,
        "token": token,
        "form": form,
        "participant_names": selectors.participant_names(codes=subscription.participant_codes),
    }


@csrf_exempt  # a server-to-server call, authenticated by its HMAC signature
@require_POST
def bounce_webhook(request: HttpRequest) -> HttpResponse:
    bounces.webhook_receive(body=request.body, signature=request.headers.get("X-Tracker-Signature", ""))
    return HttpResponse(status=200)
