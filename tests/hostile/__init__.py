"""Hostile input: tickets that try to steer the app (reliability issue, part 4)."""
