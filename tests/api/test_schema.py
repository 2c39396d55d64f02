"""The OpenAPI schema: served, valid, complete, with examples that match it, and true to the live API."""

from __future__ import annotations

import json
from functools import cache

import jsonschema
import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import FailureGroup, as_reported_failure
from schemathesis.pytest.lazy import get_all_tests

pytestmark = pytest.mark.django_db
load_all_checks()
# Every check schemathesis has (response conformance, negative data rejected, positive data
# accepted, missing headers, unsupported methods, Allow headers, auth, ...), not a chosen few.
ALL_CHECKS = CHECKS.get_all()
# The API's operations, each a test of its own below; the schema must document exactly these.
API_OPERATIONS = [
    ("GET", "/api/v1/treaties/"),
    ("GET", "/api/v1/treaties/{mtdsg}/"),
    ("GET", "/api/v1/treaties/{mtdsg}/participants/"),
    ("GET", "/api/v1/treaties/{mtdsg}/declarations/"),
    ("GET", "/api/v1/actions/"),
    ("GET", "/api/v1/events/"),
    ("GET", "/api/v1/poll-runs/"),
]


def served_schema(client) -> dict:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def nullable_to_json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema (anyOf null), for jsonschema to check examples."""
    if isinstance(node, list):
        return [nullable_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: nullable_to_json_schema(value) for key, value in node.items() if key != "example"}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


class SchemaTests:
    def test_it_serves_a_valid_openapi_3_schema_in_yaml_and_json(self, client):
        schema = served_schema(client)
        validate_schema(schema)
        assert schema["openapi"].startswith("3.")
        as_json = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert json.loads(as_json.content) == schema

    def test_it_documents_every_endpoint_with_a_summary_a_description_and_examples(self, client):
        schema = served_schema(client)
        assert {(method.upper(), path) for path, method, _ in operations(schema)} == set(API_OPERATIONS)
        for path, method, operation in operations(schema):
            assert method == "get", path
            assert operation["summary"] and len(operation["description"]) > 80, path
            assert operation["responses"]["200"]["content"]["application/json"]["examples"], path
            assert {"200", "304", "429"} <= set(operation["responses"]), path
            assert "Retry-After" in operation["responses"]["429"]["headers"], path

    def test_it_describes_every_query_parameter(self, client):
        for path, _, operation in operations(served_schema(client)):
            for parameter in operation["parameters"]:
                assert parameter.get("description"), (path, parameter["name"])

    def test_its_examples_match_its_own_schemas(self, client):
        schema = served_schema(client)
        components = nullable_to_json_schema(schema["components"])
        checked = 0
        for path, _, operation in operations(schema):
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json", {})
                for name, example in content.get("examples", {}).items():
                    validator = jsonschema.Draft7Validator(
                        {**nullable_to_json_schema(content["schema"]), "components": components}
                    )
                    errors = [error.message for error in validator.iter_errors(example["value"])]
                    assert errors == [], (path, status, name)
                    checked += 1
        assert checked >= 12

    def test_it_writes_the_configured_rate_into_the_guide(self, client, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "30/min"}}
        assert "30/min requests per address" in served_schema(client)["info"]["description"]


class DocsPageTests:
    def test_it_serves_swagger_ui_from_the_sites_own_static_files(self, client):
        response = client.get("/api/docs/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
        assert "//cdn" not in page and "unpkg" not in page and "jsdelivr" not in page
        assert '<html lang="en">' in page and "<main" in page

    def test_it_serves_the_script_that_points_swagger_ui_at_the_schema(self, client):
        response = client.get("/api/docs/?script=")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/javascript")
        assert '"/api/schema/"' in response.content.decode()

    def test_it_sends_api_at_the_root_of_api_to_the_documentation(self, client):
        assert client.get("/api/")["Location"] == "/api/docs/"


@pytest.fixture
def in_process_wsgi(settings):
    """Let the real WSGI app serve requests inside the test's transaction, unthrottled.

    Django's own test client disconnects close_old_connections from the request signals for
    the same reason: otherwise the first response would close the test database connection.
    """
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min"}}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@cache
def served_api_schema() -> dict:
    """The schema the API serves, read once per test process when a test first needs it.

    Not at import: building it (and schemathesis' tests for each operation) at collection cost
    every run, and every xdist worker, seconds before any test started.
    """
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).raw_schema


def before_process_path(context, path: str, methods: dict) -> None:
    """No made-up cursors. A cursor is opaque: only one this API gave out is valid, any other is
    a 400 (tests/api/test_pagination.py, with real and forged ones), and no schema can say
    which strings those are. Every other parameter is generated, valid and invalid."""
    for operation in methods.values():
        if isinstance(operation, dict) and "parameters" in operation:
            operation["parameters"] = [p for p in operation["parameters"] if p.get("name") != "cursor"]


# The staff visitor's session cookie while its test runs (empty for the anonymous visitor).
STAFF_SESSION: dict[str, str] = {}


class StaffSession:
    """The session cookie given to schemathesis as the API's cookie auth (not slipped into each
    call), so its auth checks know it: a staff-only list must refuse a request without it."""

    def get(self, case, context) -> str | None:
        return STAFF_SESSION.get("sessionid")

    def set(self, case, data: str | None, context) -> None:
        if data:
            case.cookies = {**(case.cookies or {}), "sessionid": data}


@pytest.fixture(params=API_OPERATIONS, ids=[f"{method} {path}" for method, path in API_OPERATIONS])
def api_operation(request) -> tuple[str, str]:
    return request.param


@pytest.fixture(params=["anonymous", "staff"])
def visitor(request) -> str:
    return request.param


def check(case) -> None:
    # Its in-process WSGI transport asks for gzip, as HTTP clients do, but does not unpack what
    # comes back (tracker/compression.py compresses JSON): it asks for the plain answer here.
    case.headers = {**(case.headers or {}), "Accept-Encoding": "identity"}
    case.call_and_validate(checks=ALL_CHECKS)


@cache
def operation_test(method: str, path: str):
    """Schemathesis' test of one operation of the live API (its examples, coverage cases and
    fuzzing, with every check), built once per test process and run for each visitor."""
    raw = served_api_schema()
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    item = {key: value for key, value in raw["paths"][path].items() if key == method.lower() or key not in methods}
    schema = schemathesis.openapi.from_dict({**raw, "paths": {path: item}})
    schema.app = get_wsgi_application()
    schema.location = "/api/schema/"
    schema.hook(before_process_path)
    schema.auth(refresh_interval=None)(StaffSession)
    (result,) = get_all_tests(
        schema=schema,
        test_func=check,
        settings=settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True),
        given_kwargs={},
    )
    return result.ok()


@pytest.fixture
def api_test(api_operation, in_process_wsgi):
    """The operation's test; the schema is read through the WSGI app once that no longer closes
    the test's database connection."""
    return operation_test(*api_operation)


@pytest.fixture
def signed_in(visitor, staff, client):
    if visitor == "staff":
        client.force_login(staff)
        STAFF_SESSION["sessionid"] = client.cookies["sessionid"].value
    yield
    STAFF_SESSION.clear()


def test_the_live_api_answers_every_generated_request_as_its_schema_says(api_test, api_operation, world, signed_in):
    """Schemathesis with every check and every phase (the schema's examples, coverage, fuzzing):
    valid requests accepted and answered as the schema says, invalid ones refused, no 5xx, auth
    enforced (`signed_in` makes each test once anonymous, once staff).

    Built here, as schemathesis' own lazy loader builds it (`schemathesis.pytest.from_fixture`
    cannot run under pytest 9: it sets the node's `_nodeid`), rather than by its `parametrize()`,
    which reads the schema and generates the coverage cases of every operation while the tests
    are collected: seconds at every start of every xdist worker."""
    operation, run = api_test
    assert (operation.method.upper(), operation.path) == api_operation
    try:
        run()
    except FailureGroup as failures:
        raise as_reported_failure(failures) from None
