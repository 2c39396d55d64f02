"""The public record of changes: a treaty's history, each event's permanent page, and the
participants-level difference a poll's file made.

The history answers "what did the tracker record, and when"; `?as_of=` on the status page
answers "where did the treaty stand on a day". Filtering and paging are links and a GET form,
so the page works without JavaScript.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ratification import history_selectors, page_selectors, rule_selectors
from ratification.cache import cached_response
from ratification.history_selectors import HistoryFilter
from ratification.models import EventKind, Treaty
from ratification.wording.events import event_details, event_effect, event_title


def _filter(request: HttpRequest) -> HistoryFilter:
    """The filter the query asks for; an unknown kind or a malformed code is ignored (shows all)."""
    kind = request.GET.get("kind", "")
    code = request.GET.get("participant", "").strip().upper()
    return HistoryFilter(
        participant=code if code.isalnum() and len(code) <= 8 else "",
        kind=kind if kind in EventKind.values else "",
    )


def history_lines(events) -> list[dict]:
    return [
        {
            "event": event,
            "title": event_title(event),
            "details": event_details(event),
        }
        for event in events
    ]


@cached_response
def treaty_history(request: HttpRequest, mtdsg: str) -> HttpResponse:
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    only = _filter(request)
    page = history_selectors.history_page(treaty=treaty, only=only, number=request.GET.get("page", 1))
    base = {name: value for name, value in (("participant", only.participant), ("kind", only.kind)) if value}
    context = {
        "treaty": treaty,
        "page": page,
        "lines": history_lines(page.object_list),
        "only": only,
        "participants": history_selectors.history_participants(treaty=treaty),
        "kinds": EventKind.choices,
        "previous_query": urlencode({**base, "page": page.previous_page_number()}) if page.has_previous() else "",
        "next_query": urlencode({**base, "page": page.next_page_number()}) if page.has_next() else "",
        "next_path": request.get_full_path(),
    }
    return render(request, "ratification/history.html", context)


@cached_response
def event_page(request: HttpRequest, event_id: int) -> HttpResponse:
    event = history_selectors.event_by_id(event_id=event_id)
    related = [line for line in history_lines(history_selectors.action_events(event=event)) if line["event"] != event]
    context = {
        "treaty": event.treaty,
        "event": event,
        "line": history_lines([event])[0],
        "effect": event_effect(event),
        # No count to speak of for a treaty whose rule is not known (docs/rules.md, "Known rules").
        "rule_known": rule_selectors.rule_known(treaty=event.treaty),
        "related": related,
        "next_path": request.path,
    }
    return render(request, "ratification/event.html", context)


@cached_response
def poll_diff_page(request: HttpRequest, mtdsg: str, run_id: int) -> HttpResponse:
    treaty: Treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    result = history_selectors.poll_diff(treaty=treaty, run_id=run_id)
    context = {"treaty": treaty, "result": result, "next_path": request.path}
    return render(request, "ratification/poll_diff.html", context)
