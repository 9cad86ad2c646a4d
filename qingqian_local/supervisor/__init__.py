"""`qingqian up` as the supervisor of the local system: it restarts what crashes with
capped backoff, says why on the console and in `supervisor.log`, and stops everything
on Ctrl-C/SIGTERM or when one process crashes too often (docs/operations.md)."""
