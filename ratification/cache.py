"""One cache for what the public reads: status and participant pages, the feed, the exports, and
anonymous API reads. Nothing is ever purged; a write makes new keys.

**The data version.** `Treaty.data_version` counts the changes to a treaty's public data, and
the database moves it (with `updated_at`, the Last-Modified) in the transaction of each write:
triggers on the treaty's row and on the tables of its actions, statements, stages, poll runs
and events bump that treaty's counter; on participants and their aliases, every treaty's
(migration 0016). So a poll (even one that finds nothing: the pages say when the source was
last checked), a staff correction, a review decision, a queryset's `update()`, the admin or raw
SQL all invalidate alike, and no write path has to remember to (tests/test_data_version.py
fails for a new table of public data without them). The version of *all* the public data is
every treaty's id and counter, read in one query by `data_version()` (a treaty added or removed
changes it too); each process reuses it for `DATA_VERSION_MAX_AGE` seconds (1 in production, 0 in
the tests), so under load a cached answer costs no query, and a change shows within a second.
Every page depends on more than one treaty (each status page lists the others, a participant's
page spans treaties, the API shows them all), so responses are keyed on all of them.

**The key.** A response depends on that version; on the code that built it (`code_version()`, a
digest of the project's code, templates, static files, translations and the settings they
print, so a deploy never serves what the previous release stored); and on the request: scheme,
host, path and query, language, format (API) and the day (estimates and statuses move with the
date). `response_key` hashes them all. The key is also the response's ETag: a reader revalidating
with If-None-Match gets its 304 before anything is looked up or built.

**The store.** Whole responses (status, headers, body) under their key: this process's memory
first (the last 128), then the shared cache (`CACHE_URL`, Redis in production) that every web
process reads. An entry is never stale, only unused; the shared cache's timeout bounds what
unused entries occupy. `CACHE_URL=dummycache://` turns both tiers off (the benchmark's
"uncached" figures). Beside whole responses, `treaty_values` keeps what the lists compute per
treaty (its summary) under that treaty's own counter (`treaty_key`), so building a list of
treaties after one of them changed recomputes one summary, not all.

**Misses at once.** A change of the data changes every key at once, just when readers arrive
(an alert has gone out): in each process, requests for the same key that come while its answer
is being built wait for that build and take its answer (`built_once`, as a proxy's cache lock
does), instead of each rendering the same page. That holds without a store too
(`CACHE_URL=dummycache://`): only the requests in flight share a build. A follower waits at most
`COALESCE_WAIT_SECONDS`, then builds its own; so does every follower of a build that failed or
gave what is not stored (an error, a cookie).

**Who serves from it.** One way in, `from_store` and `into_store`, with one reading of the
reader's validators (tracker/conditional.py). `ResponseCacheMiddleware`, right after WhiteNoise
in settings.MIDDLEWARE, answers the views marked `@cached_response` before sessions, CSRF,
authentication and the view run, which is what lets `/` be served about as fast as a static
file of its size (make bench).
Readers revalidate every answer (`Cache-Control: no-cache`), except those of views marked
`@cached_response(max_age=N)`: what other sites show (the badge, the embed), reused for N seconds.
It validates the Host header first: an unknown host gets Django's 400, cached page or not. The
API answers anonymous JSON reads from the same store, through the same two functions, inside
DRF, after authentication, permissions and the throttle (`ReadOnlyEndpoint` in
ratification/api/views.py; `API_STORE_RESPONSES=false` builds each one).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from ratification.models import Treaty
from tracker import compression
from tracker.conditional import Validators, not_modified
from tracker.language import request_language

STORE_SECONDS = 24 * 60 * 60
# What shapes a response besides the data and the request.
CODE_FOLDERS = ("alerts", "locale", "ratification", "scrapers", "static", "templates", "tracker")
# Headers a stored response repeats; anything per-request (cookies above all) is never stored.
NOT_STORED = {"set-cookie", "date"}
# How long a request waits for the same answer another thread is building (the slowest page
# builds in well under a second); past that it builds its own.
COALESCE_WAIT_SECONDS = 10


class ProcessMemory:
    """This process's tier: the most recent responses and the data version it reuses.

    Least recently used out, each entry with an expiry time. Not Django's LocMemCache: that one
    pickles and unpickles every value, and copying a 125 KB page on each hit took a warm `/` from
    0.89 to 0.80 times the speed of a static file (measured in one process, without the
    network). These values are immutable (tuples, bytes, a frozen dataclass): kept as they are.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            expires, value = self.entries.get(key, (0.0, None))
            if value is None or expires <= time.time():
                return None
            self.entries.move_to_end(key)
            return value

    def set(self, key: str, value: Any, seconds: float) -> None:
        if seconds <= 0:
            return
        with self.lock:
            self.entries[key] = (time.time() + seconds, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


# 128 entries: the pages in each language and the first pages of the API lists, a few MB at most.
recent = ProcessMemory(size=128)

# Status, headers, body; and the gzip copy's headers and body (None when it does not pay).
StoredResponse = tuple[int, list[tuple[str, str]], bytes, tuple[list[tuple[str, str]], bytes] | None]


@dataclass
class Flight:
    """One answer being built; `entry` is what it stored (None: nothing to share)."""

    landed: threading.Event = field(default_factory=threading.Event)
    entry: StoredResponse | None = None


class InFlight:
    """The answers this process is building, by key (see "Misses at once" above)."""

    def __init__(self) -> None:
        self.flights: dict[str, Flight] = {}
        self.lock = threading.Lock()

    def join(self, key: str) -> tuple[Flight, bool]:
        """The flight building `key`, and whether the caller leads it (builds) or follows (waits)."""
        with self.lock:
            flight = self.flights.get(key)
            if flight is not None:
                return flight, False
            flight = self.flights[key] = Flight()
            return flight, True

    def land(self, key: str, flight: Flight, entry: StoredResponse | None) -> None:
        flight.entry = entry
        with self.lock:
            self.flights.pop(key, None)
        flight.landed.set()


in_flight = InFlight()


@dataclass(frozen=True)
class DataVersion:
    """The version of all the public data as read at one moment, with the day it was read on."""

    digest: str  # of every treaty's id and counter
    day: datetime.date  # estimates and statuses move with the date
    last_modified: int  # the newest treaty row write, or midnight if later (seconds since the epoch)


def data_version() -> DataVersion:
    """The version of all the public data: one query, at most once per DATA_VERSION_MAX_AGE."""
    version = recent.get("data-version")
    if version is None:
        version = _read_data_version()
        recent.set("data-version", version, settings.DATA_VERSION_MAX_AGE)
    return version


def _read_data_version() -> DataVersion:
    treaties = list(Treaty.objects.order_by("pk").values_list("pk", "data_version", "updated_at"))
    counters = ",".join(f"{pk}:{version}" for pk, version, _ in treaties)
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return DataVersion(
        digest=hashlib.blake2b(counters.encode(), digest_size=16).hexdigest(),
        day=today,
        last_modified=int(max([midnight, *(updated for *_, updated in treaties)]).timestamp()),
    )


@functools.cache
def code_version() -> str:
    """A digest of the code, templates, static files and translations, and of the settings pages print."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in CODE_FOLDERS:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode() + b"\0" + path.read_bytes())
    shown = (settings.SITE_URL, settings.UNTC_BASE_URL, settings.DEFAULT_TREATY, settings.STATIC_URL)
    digest.update(repr(shown).encode())
    return digest.hexdigest()


def response_key(request: HttpRequest, *, version: DataVersion, language: str, media_type: str = "") -> str:
    """Where the answer to this request is stored, and its ETag (see the module docstring)."""
    inputs = (
        code_version(),
        version.digest,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        language,
        media_type,
        version.day.isoformat(),
    )
    return hashlib.blake2b("\x1f".join(inputs).encode(), digest_size=16).hexdigest()


def treaty_key(treaty: Treaty, name: str) -> str:
    """The key of `name`, something computed from this one treaty's data (the API's summaries)."""
    return f"{name}:{code_version()}:{treaty.pk}:{treaty.data_version}"


def etag(key: str) -> str:
    # Strong: the same key is the same bytes for everyone.
    return f'"{key}"'


def from_store(request: HttpRequest, key: str, validators: Validators) -> HttpResponse | None:
    """The answer stored under `key` (compressed if the reader accepts it), or a 304 for a reader
    that holds it; None when it must be built (and then given to `into_store`)."""
    unchanged = not_modified(
        request,
        etag=validators.etag,
        last_modified=validators.last_modified,
        current=lambda: stored(key) is not None,
    )
    if unchanged is not None:
        return validators.apply(unchanged)
    return stored(key, gzip=compression.accepts_gzip(request))


def into_store(key: str, response: HttpResponse, validators: Validators) -> HttpResponse:
    """Give a built 200 its validators and keep it under `key` (`store` says what is kept)."""
    store(key, validators.apply(response))
    return response


def built_once(
    key: str, validators: Validators, build: Callable[[], HttpResponse], *, gzip: bool = False
) -> HttpResponse:
    """The answer `build()` gives for `key`, kept as `into_store` keeps it, built once for all the
    requests of this process that want it meanwhile (see "Misses at once" above); with `gzip`,
    the compressed copy when there is one."""
    flight, leading = in_flight.join(key)
    if not leading and flight.landed.wait(COALESCE_WAIT_SECONDS) and flight.entry is not None:
        return _from_entry(flight.entry, gzip=gzip)
    entry = None
    try:
        response = build()
        if response.status_code == 200:
            entry = store(key, validators.apply(response))
    finally:
        if leading:
            in_flight.land(key, flight, entry)
    # The copy compressed for storing, rather than compressing the answer again on its way out.
    return _from_entry(entry, gzip=gzip) if entry is not None else response


def treaty_values(
    treaties: Collection[Treaty], *, name: str, compute: Callable[[list[Treaty]], dict[int, Any]]
) -> dict[int, Any]:
    """Something computed from each treaty's own data (`name`), by treaty id: kept under the
    treaty's own data version, so only the treaties changed since are computed, in one call of
    `compute` (the missing ones in, their values by id out)."""
    keys = {treaty.pk: treaty_key(treaty, name) for treaty in treaties}
    known = caches["default"].get_many(list(keys.values()))
    missing = [treaty for treaty in treaties if keys[treaty.pk] not in known]
    if missing:
        fresh = {keys[pk]: value for pk, value in compute(missing).items()}
        caches["default"].set_many(fresh, STORE_SECONDS)
        known.update(fresh)
    return {treaty.pk: known[keys[treaty.pk]] for treaty in treaties}


def stored(key: str, *, gzip: bool = False) -> HttpResponse | None:
    """The response stored under `key`, from this process's memory or else the shared cache;
    with `gzip`, its compressed copy when it has one (tracker/compression.py)."""
    shared = caches["default"]
    if isinstance(shared, DummyCache):
        return None
    entry: StoredResponse | None = recent.get(key)
    if entry is None:
        entry = shared.get(key)
        if entry is None:
            return None
        recent.set(key, entry, STORE_SECONDS)
    return _from_entry(entry, gzip=gzip)


def _from_entry(entry: StoredResponse, *, gzip: bool) -> HttpResponse:
    status, headers, body, compressed = entry
    if gzip and compressed is not None:
        headers, body = compressed
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def store(key: str, response: HttpResponse) -> StoredResponse | None:
    """Keep a successful, complete, cookie-free response under `key` (in no tier with
    `CACHE_URL=dummycache://`), and return what is kept; anything else is not kept (None)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    # Compressed once here, not for each reader it is served to.
    patch_vary_headers(response, ("Accept-Encoding",))
    copy = compression.gzipped(response)
    compressed = (_kept_headers(copy), copy.content) if copy is not None else None
    entry: StoredResponse = (response.status_code, _kept_headers(response), response.content, compressed)
    shared = caches["default"]
    if not isinstance(shared, DummyCache):
        shared.set(key, entry, STORE_SECONDS)
        recent.set(key, entry, STORE_SECONDS)
    return entry


def _kept_headers(response: HttpResponse) -> list[tuple[str, str]]:
    return [(name, value) for name, value in response.headers.items() if name.lower() not in NOT_STORED]


def cached_response(view: Callable[..., HttpResponse] | None = None, *, max_age: int = 0) -> Any:
    """Mark a public view whose GET answers `ResponseCacheMiddleware` stores and serves.

    Only for a view whose output depends on nothing but the public data, the URL, the language
    and the day: nothing personal, no form token, no cookie. `@cached_response` alone: readers
    revalidate every time (a change shows at once). `@cached_response(max_age=N)`: browsers and
    shared caches may reuse an answer for N seconds without asking, for what other sites show
    (the badge, the embed), where every visitor of a busy page would otherwise revalidate.
    """

    def mark(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        view.cached_response = True
        view.cached_response_max_age = max_age
        return view

    return mark if view is None else mark(view)


@functools.lru_cache(maxsize=1024)
def _cache_policy(path: str) -> int | None:
    """The `max_age` of the cached view at `path`, or None if it is not one."""
    # Remembered per path: urls.py does not change while the process runs.
    try:
        func = resolve(path).func
    except Resolver404:
        return None
    return getattr(func, "cached_response_max_age", 0) if getattr(func, "cached_response", False) else None


def _cache_control(max_age: int) -> str:
    # no-cache: always revalidate; the ETag makes that a cheap 304, and a change shows at once.
    return f"public, max-age={max_age}" if max_age else "no-cache"


class ResponseCacheMiddleware:
    """Serve the `@cached_response` views from the store, with their ETag and Last-Modified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.answer(request)
        if response.status_code == 304:
            # RFC 9110 8.6: a 304 has no content and must not claim an empty representation;
            # CommonMiddleware (further in) gives every answer built by a view, the API's and
            # the archived sources' 304s among them, a "Content-Length: 0".
            response.headers.pop("Content-Length", None)
        return response

    def answer(self, request: HttpRequest) -> HttpResponse:
        max_age = _cache_policy(request.path_info) if request.method in ("GET", "HEAD") else None
        if max_age is None:
            return self.get_response(request)
        # A Host outside ALLOWED_HOSTS raises DisallowedHost here: 400, whatever is stored.
        version = data_version()
        key = response_key(request, version=version, language=request_language(request))
        validators = Validators(etag(key), version.last_modified, _cache_control(max_age))
        response = from_store(request, key, validators)
        if response is None:

            def build() -> HttpResponse:
                built = self.get_response(request)
                return _vary(built) if built.status_code == 200 else built

            response = built_once(key, validators, build, gzip=compression.accepts_gzip(request))
        elif response.status_code == 304:
            _vary(response)
        return response


def _vary(response: HttpResponse) -> HttpResponse:
    # The language comes from the cookie as well as from Accept-Language.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
