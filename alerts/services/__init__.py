"""Writes of the alerts app: subscriptions, alerts and their fan-out, delivery, the sweeper."""
