"""Write-side services: everything that changes the database goes through here.

Named `<thing>_<verb>` with keyword-only arguments (the HackSoft style). Modules by topic:
`participants` (names to codes), `seed`, `reconcile`, `polling`.
"""
