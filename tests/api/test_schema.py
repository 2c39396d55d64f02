"""The OpenAPI schema: served, valid, complete, with examples that match it, and true to the live API."""

from __future__ import annotations

import json

import jsonschema
import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    unsupported_method,
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
        paths = {path for path, _, _ in operations(schema)}
        assert paths == {
            "/api/v1/treaties/",
            "/api/v1/treaties/{mtdsg}/",
            "/api/v1/treaties/{mtdsg}/participants/",
            "/api/v1/actions/",
            "/api/v1/events/",
            "/api/v1/poll-runs/",
        }
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


live_schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.mark.parametrize("visitor", ["anonymous", "staff"])
@live_schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_live_api_answers_every_generated_request_as_its_schema_says(
    case, visitor, world, staff, client, in_process_wsgi
):
    """Schemathesis: valid and invalid requests to every operation; no 5xx, no response off its schema."""
    cookies = {}
    if visitor == "staff":
        client.force_login(staff)
        cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    case.call_and_validate(checks=CHECKS, cookies=cookies)
