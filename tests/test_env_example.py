"""`.env.example` documents every variable the settings read."""

from __future__ import annotations

import re

from tests.support.services import ROOT


class EnvExampleTests:
    def test_it_documents_every_variable_the_settings_read(self):
        settings_source = (ROOT / "tracker" / "settings.py").read_text()
        read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
        documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
        assert read, "no env reads found: the pattern is stale"
        assert read - documented == set()
