"""What the record says about itself, in the reader's language: the one home of the words every
surface uses to describe it. The pages, feeds, exports and template tags say them, and so do the
alerts (e-mails, webhooks, chat: alerts/content.py puts them in an alert's order).

- `events`: an event's headline, facts and effect, who did what, the count, why a poll failed;
- `statements`: a reservation, declaration or objection made, changed or withdrawn;
- `rules`: the entry-into-force rule, known, read from the clause, or not known.
"""
