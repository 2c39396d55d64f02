"""The server's order of names is the browser's: static/js/participants.js re-sorts the table with
`Intl.Collator` (Chromium's ICU), and a reader must not see the order change when it does."""

from __future__ import annotations

import pytest

from ratification.collation import sorted_names
from tests.support.browser import chromium_page
from tests.test_collation import known_names

# Names the known list lacks, with the letters and marks a collation gets wrong first.
EXTRA = ["Chile", "Čad", "Šlovensko", "Žilina", "Řecko", "Korea (North)", "Korea 2", "Korea, Republic of", "cote"]


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "fr", "cs"])
def test_chromium_sorts_every_known_name_as_the_server_does(language, browser):
    names = sorted_names([*known_names(), *EXTRA], language=language)
    with chromium_page(browser) as page:
        # Pairs the browser would put the other way round ("base": letters only, as the script does).
        wrong = page.evaluate(
            """([names, language]) => {
                const collator = new Intl.Collator(language, { sensitivity: "base" });
                const wrong = [];
                for (let i = 1; i < names.length; i++) {
                    if (collator.compare(names[i - 1], names[i]) > 0) { wrong.push([names[i - 1], names[i]]); }
                }
                return wrong;
            }""",
            [names, language],
        )
    assert wrong == []
