"""Crash safety: the app is killed (SIGKILL) while it streams, while the agent types and while it
sends, and must come back with nothing lost (``kill_harness``; ``driver`` runs in the child)."""
