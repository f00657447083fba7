"""Speed measurements, run on request and never by the default test run (see README.md)."""
