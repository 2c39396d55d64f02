"""The public, read-only REST API under /api/v1/ (Django REST framework), documented at /api/docs/.

Views parse the query, call a selector, serialize; every computed number comes from
`ratification.selectors` and `ratification.rules`, the same code as the status page.
"""
