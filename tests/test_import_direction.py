"""The record is below its consumers: imports go one way (docs/conventions.md).

`scrapers` <- `ratification` <- `alerts`, and the faces (admin, views, API) and tasks on top. The
record (everything in ratification/ but its faces) never imports `alerts`; its services import
no tasks, views, API or admin. Read from the source's syntax tree, so an import inside a
function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "ratification"
FACES = ("admin", "views", "api")
LAYERS_ABOVE_SERVICES = ("tasks", "views", "api", "admin")


def imported_modules(source: str) -> set[str]:
    """Every module an `import` or `from … import` names, with `from a import b` as `a.b` too."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def is_face(path: Path) -> bool:
    first = path.relative_to(RECORD).parts[0]
    return first.removesuffix(".py").split("_")[0] in FACES


def record_modules() -> list[Path]:
    return sorted(path for path in RECORD.rglob("*.py") if not is_face(path))


def alerts_imports(source: str) -> set[str]:
    return {name for name in imported_modules(source) if name == "alerts" or name.startswith("alerts.")}


def upward_imports(source: str) -> set[str]:
    """What a service imports from the layers above it (tasks, views, API, admin), in any app."""
    return {
        name for name in imported_modules(source) if any(part in LAYERS_ABOVE_SERVICES for part in name.split(".")[1:])
    }


class ImportDirectionTests:
    @pytest.mark.parametrize("path", record_modules(), ids=lambda path: str(path.relative_to(ROOT)))
    def test_the_record_never_imports_alerts(self, path):
        assert alerts_imports(path.read_text()) == set(), f"{path.relative_to(ROOT)} imports its consumer"

    @pytest.mark.parametrize(
        "path", sorted((RECORD / "services").rglob("*.py")), ids=lambda path: str(path.relative_to(ROOT))
    )
    def test_services_import_no_tasks_views_api_or_admin(self, path):
        assert upward_imports(path.read_text()) == set(), f"{path.relative_to(ROOT)} imports a layer above it"

    def test_the_faces_may_read_from_both(self):
        faces = [path for path in RECORD.rglob("*.py") if is_face(path)]
        assert faces and all(path not in record_modules() for path in faces)

    @pytest.mark.parametrize(
        "source",
        [
            "from alerts.services.fanout import alert_create",
            "def later():\n    from alerts import tasks",
            "import alerts.models",
        ],
    )
    def test_it_catches_an_import_of_alerts_wherever_it_is(self, source):
        assert alerts_imports(source)

    @pytest.mark.parametrize(
        "source",
        [
            "def publish():\n    from ratification import tasks",
            "from ratification.tasks import poll_treaty_task",
            "from ratification.views.pages import status_page",
            "import ratification.admin.treaties",
        ],
    )
    def test_it_catches_a_service_importing_a_layer_above(self, source):
        assert upward_imports(source)

    def test_it_lets_a_service_import_services_and_models(self):
        assert not upward_imports("from ratification.services.writes import lock_treaty\nimport ratification.models")
