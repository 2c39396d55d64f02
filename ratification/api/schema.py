"""What every operation shares, written into the OpenAPI schema once (a drf-spectacular hook).

Errors, rate limiting and conditional GET behave the same on every endpoint, so they are
documented here rather than on each view: the guide at the top of the schema, the 304, 400,
403, 404 and 429 responses, and the ETag, Last-Modified, If-None-Match, If-Modified-Since and
Retry-After headers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.settings import api_settings

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "example": {"detail": "Not found."},
}
INVALID_QUERY = {
    "type": "object",
    "description": "For each query parameter at fault, what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"kind": ["banana is not one of: signature, succession_to_signature, ratification, …"]},
}


def guide() -> str:
    rate = api_settings.DEFAULT_THROTTLE_RATES.get("anon")
    return _(
        "Read-only data of the treaty ratification tracker: the treaties it follows, their "
        "participants and actions, the changes it records, and each treaty's entry-into-force status "
        "computed from its own rule. Data from the United Nations Treaty Collection; not an official "
        "UN service.\n\n"
        "**Conventions.** JSON only. Dates and times in ISO 8601 (times in UTC). Treaties are named by "
        "their MTDSG number (`XVIII-16`), participants by their ISO 3166 alpha-3 code (`FRA`; `EUU` for "
        "the European Union): these identifiers are stable, database ids are not used.\n\n"
        "**Pages.** Lists come in pages of `page_size` rows (1 to 200, default 50). Follow `next` (null "
        "on the last page) and `previous`: their cursors stay valid whatever is written meanwhile.\n\n"
        "**Incremental sync.** `/actions/` and `/events/` take `since` (inclusive) and give each page a "
        "`sync_since`: store it at the end of a sync and send it as `since` on the next.\n\n"
        "**Caching.** Every response has an `ETag` and a `Last-Modified`; send the first back as "
        "`If-None-Match` (or the second as `If-Modified-Since`) and an unchanged resource answers "
        "`304 Not Modified` with no body.\n\n"
        "**Limits.** Anonymous clients may make %(rate)s requests per address; past it the API answers "
        "`429` with `Retry-After` (seconds). Browsers on any site may read the API (CORS), without "
        "credentials.\n\n"
        "**Errors.** A bad query parameter gets `400` naming the parameter and what is wrong; other "
        'errors are `{"detail": "..."}`. Writes answer `405`.\n\n'
        "**Versions.** `/api/v1/` only ever gains fields and endpoints; a change that could break a "
        "client would come as `/api/v2/`."
    ) % {"rate": rate or _("unlimited")}


def _header(description: str, *, required: bool = True) -> dict:
    return {"description": description, "required": required, "schema": {"type": "string"}}


def _error(description: str, schema: str = "Error") -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def document_conventions(result: dict, generator, request, public: bool) -> dict:
    result["info"]["description"] = guide()
    result.setdefault("components", {}).setdefault("schemas", {}).update(Error=ERROR, InvalidQuery=INVALID_QUERY)
    etag = _header(_("Identifies this exact response body; send it back as If-None-Match."))
    last_modified = _header(_("When the data behind this answer last changed; send it back as If-Modified-Since."))
    for operations in result["paths"].values():
        for method, operation in operations.items():
            parameters = operation.setdefault("parameters", [])
            responses = operation["responses"]
            responses["200"]["description"] = responses["200"].get("description") or _("OK")
            if method == "get":
                parameters.append(
                    {
                        "in": "header",
                        "name": "If-None-Match",
                        "required": False,
                        "description": _("An ETag you already have: if it is still current, the answer is 304."),
                        "schema": {"type": "string"},
                    }
                )
                parameters.append(
                    {
                        "in": "header",
                        "name": "If-Modified-Since",
                        "required": False,
                        "description": _(
                            "A Last-Modified you already have (used when If-None-Match is not sent): if "
                            "nothing changed since, the answer is 304."
                        ),
                        "schema": {"type": "string"},
                    }
                )
                responses["200"].setdefault("headers", {}).update({"ETag": etag, "Last-Modified": last_modified})
                responses["304"] = {
                    "description": _("Not modified: the ETag or date you sent is current."),
                    "headers": {"ETag": etag, "Last-Modified": last_modified},
                }
            if any(parameter["in"] == "query" for parameter in parameters):
                responses["400"] = _error(_("A query parameter is malformed or unknown."), "InvalidQuery")
            if any(parameter["in"] == "path" for parameter in parameters):
                responses["404"] = _error(_("No such resource."))
            if {} not in operation.get("security", [{}]):
                responses["403"] = _error(_("Staff only: log in at /admin/ first."))
            responses["429"] = {
                **_error(_("Too many requests from this address.")),
                "headers": {"Retry-After": _header(_("Seconds to wait before trying again."))},
            }
    return result
