"""Read settings from the environment, strictly.

django-environ parses the values; this module refuses the ones it would silently accept
(`DEBUG=maybe` reads as False there, `DATABASE_URL=foo://x` as an engine named "foo") so a
wrong value stops start-up with a message that names the variable. Every variable also
accepts `<NAME>_FILE`, a path whose contents are the value (Docker and Kubernetes secrets).
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

_env = environ.FileAwareEnv()

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A setting from the environment is missing or malformed; the message names it."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem} (see .env.example)")


def read_env_file(path: Path) -> None:
    """Load a `.env` file if there is one; real environment variables win."""
    if path.is_file():
        environ.Env.read_env(str(path), overwrite=False)


def _raw(name: str) -> str | None:
    if name in os.environ:
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name is None:
        return None
    try:
        return Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigError(f"{name}_FILE", f"cannot read {file_name!r}: {error.strerror}") from error


def string(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = _raw(name)
    if value is None or value == "":
        if required or default is None:
            raise ConfigError(name, f"is required; set {name} or {name}_FILE")
        return default
    return value


def boolean(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(name, f"must be true or false, not {value!r}")


def integer(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(name, f"must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigError(name, f"must be at least {minimum}, not {number}")
    return number


def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = string(name, default).strip().lower()
    if value not in choices:
        raise ConfigError(name, f"must be one of {', '.join(choices)}, not {value!r}")
    return value


def string_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def url(name: str, default: str | None, *, schemes: tuple[str, ...], credentials: bool = True) -> str:
    """A URL whose scheme is one of `schemes` and, for network schemes, has a host (and a valid
    port); with `credentials=False`, no user name or password either."""
    value = string(name, default).strip()
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        raise ConfigError(name, f"must start with {' or '.join(s + '://' for s in schemes)}, not {value!r}")
    if parts.scheme in {"http", "https", "redis", "rediss", "amqp"} and not parts.hostname:
        raise ConfigError(name, f"has no host name: {value!r}")
    if not credentials and (parts.username is not None or parts.password is not None):
        # The value is not repeated: it holds a password.
        raise ConfigError(name, "must not contain a user name or password (user:password@); remove them")
    try:
        parts.port  # noqa: B018 (urlsplit checks the port only when it is read)
    except ValueError:
        raise ConfigError(
            name, f"has a port that is not a number from 0 to 65535: {parts.netloc.rpartition('@')[2]!r}"
        ) from None
    return value.rstrip("/") if parts.scheme in {"http", "https"} else value


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
# A server listening on every address is reached on this machine through the loopback one.
_WILDCARD_TO_LOOPBACK = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def host(name: str, default: str) -> str:
    """An address or host name to listen on: `127.0.0.1`, `::1` (or `[::1]`), `0.0.0.0`, `localhost`."""
    value = string(name, default).strip()
    bare = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        if _HOST_NAME.match(bare):
            return bare.lower()
    raise ConfigError(name, f"must be an IP address or a host name, not {value!r}")


def port(name: str, default: int) -> int:
    number = integer(name, default, minimum=1)
    if number > 65535:
        raise ConfigError(name, f"must be a TCP port (1 to 65535), not {number}")
    return number


def url_host(host: str) -> str:
    """The host as written in a URL or a bind address: IPv6 in brackets."""
    return f"[{host}]" if ":" in host else host


def local_url(host: str, port: int) -> str:
    """http://HOST:PORT as a browser on this machine reaches a server listening there."""
    return f"http://{url_host(_WILDCARD_TO_LOOPBACK.get(host, host))}:{port}"


def served_host_names(host: str) -> list[str]:
    """The Host header values a server on `host` is reached with from this machine."""
    names = ["127.0.0.1", "localhost", "[::1]"]
    reached = url_host(_WILDCARD_TO_LOOPBACK.get(host, host))
    return names if reached in names else [*names, reached]


DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql", "psql")


def database(name: str, default: str | None) -> dict:
    value = url(name, default, schemes=DATABASE_SCHEMES)
    return _env.db_url_config(value)


def email(name: str, default: str) -> dict:
    value = string(name, default)
    try:
        return _env.email_url_config(value)
    except ImproperlyConfigured as error:
        raise ConfigError(name, f"{error}; use smtp://, smtp+tls://, smtp+ssl:// or consolemail://") from None


CACHE_SCHEMES = ("locmemcache", "filecache", "dbcache", "dummycache", "redis", "rediss")


def cache(name: str, default: str) -> dict:
    value = url(name, default, schemes=CACHE_SCHEMES)
    config = _env.cache_url_config(value)
    if config["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
        # Counters (throttles, sign-up limits) exact across processes; see tracker/cache.py.
        config["BACKEND"] = "tracker.cache.AtomicCounterFileBasedCache"
    return config


def filesystem_broker_folder(broker_url: str) -> Path | None:
    """The message folder of a `filesystem:///path` broker URL, or None for others.

    kombu's filesystem transport takes its folders as transport options, not from the URL;
    reading them from the URL keeps the embedded broker to one variable like every other.
    """
    parts = urlsplit(broker_url)
    if parts.scheme != "filesystem":
        return None
    if not parts.path.startswith("/"):
        raise ConfigError("CELERY_BROKER_URL", f"a filesystem broker needs an absolute folder: {broker_url!r}")
    return Path(parts.path)


RATE_PERIODS = frozenset({"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"})


def rate(name: str, default: str) -> str:
    """A request rate in Django REST framework's spelling: `120/min`, `5/second`, `1000/day`."""
    value = string(name, default).strip()
    number, _, period = value.partition("/")
    if not (number.isascii() and number.isdigit()) or int(number) < 1 or period not in RATE_PERIODS:
        raise ConfigError(name, f"must look like 120/min (a number of requests per s, min, h or day), not {value!r}")
    return f"{int(number)}/{period}"
