"""Write-side services: everything that changes the database goes through here.

Named `<thing>_<verb>` with keyword-only arguments (the HackSoft style). None tells the caches
what it changed: the database moves the data version with each write (ratification/cache.py).

- `polling`: read a treaty's UNTC file (`poll_treaty`, `poll_enqueue`); `reconcile` records what
  it says, with `action_diff` (action by action) and `participants` (names to codes);
- `events`: build and record events, which owes subscribers their alert;
- `staff`, `participant_edits`, `reviews`, `treaties`: staff correct the record, settle review
  items, follow treaties and set their schedules;
- `seed`: XVIII-16 and its signatories from the shipped data;
- `monitoring` and `staff_alerts`: the dead-man's switch and the e-mails to staff;
- `writes`: what every write shares (the data version, the treaty lock, the staff reason).
"""
