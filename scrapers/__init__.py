"""Everything that knows the UN Treaty Collection (UNTC), and nothing of Django.

- `scrapers.untc`: `parse_status(bytes) -> TreatyStatus`, the pure parser, and its types;
- `scrapers.fetch`: every read from the network (timeouts, size cap, conditional GET, retries);
- `python -m scrapers.untc SOURCE`: the command line, printing a status file as JSON.
"""
