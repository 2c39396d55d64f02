"""Collect `<Thing>Tests` classes even when pytest runs without the project's configuration.

The project's pyproject sets `python_classes = ["*Tests"]`; this hook gives the same result
when the scraper suite runs on its own (e.g. `pytest -p no:django tests/scrapers`), and
changes nothing when that setting is present (the hook answers first, once per class).
"""

from __future__ import annotations

import inspect

import pytest


def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> pytest.Class | None:
    if inspect.isclass(obj) and name.endswith("Tests") and obj.__module__ == collector.module.__name__:
        return pytest.Class.from_parent(collector, name=name, obj=obj)
    return None
