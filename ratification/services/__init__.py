"""Write-side services of the record: everything that changes its rows goes through here.

Named `<thing>_<verb>` with keyword-only arguments (the HackSoft style). None tells the caches
what it changed: the database moves the data version with each write (ratification/cache.py).

They know nothing of who hears of a change: they import no alerts, tasks, views, API or admin
(tests/test_import_direction.py). What they record, consumers take from the database
(ratification/signals.py).

- `polling`: read a treaty's UNTC file (`poll_treaty`, `poll_start`); `reconcile` records what
  it says, with `action_diff` (action by action) and `participants` (names to codes);
- `events`: build and record events (the alerts outbox takes them once committed);
- `staff`, `participant_edits`, `reviews`, `held_rows`, `held_statements`, `withdrawals`,
  `treaties`: staff correct the record, settle review items, follow treaties and set their
  schedules; `stages`, `statements`: reported national steps, reservations and declarations;
- `gate`, `rule_checks`, `rule_proposals`, `identities`, `statement_identity`, `stage_import`:
  what the poll holds for review, and how rows are matched and imported; `treaty_facts`: the
  facts a file states about its treaty;
- `seed`: XVIII-16 and its signatories from the shipped data;
- `monitoring` and `staff_alerts`: the dead-man's switch, and what staff must be told of the
  source (raised for the outbox, never sent from here);
- `writes`: what every write shares (the data version, the treaty lock, the staff reason).
"""
