"""gunicorn.conf.py: what `make run` and the benchmarks start gunicorn with."""

from __future__ import annotations

import runpy

from tests.support.services import ROOT


def config(monkeypatch, **env: str) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


class ControlSocketTests:
    def test_each_checkout_and_address_has_its_own_control_socket(self, monkeypatch):
        """Not gunicorn's default ~/.gunicorn/gunicorn.ctl, which two checkouts shared."""
        first = config(monkeypatch, BIND="127.0.0.1:8000")
        assert first["control_socket"] == str(ROOT / "var" / "gunicorn-127.0.0.1-8000.ctl")
        assert first["control_socket_disable"] is False
        second = config(monkeypatch, BIND="[::1]:9000")
        assert second["control_socket"] == str(ROOT / "var" / "gunicorn-1-9000.ctl")

    def test_a_path_too_long_for_a_unix_socket_turns_the_socket_off(self, monkeypatch):
        long_bind = "unix:/" + "x" * 200
        assert config(monkeypatch, BIND=long_bind)["control_socket_disable"] is True
