"""The Qingqian kernel: event store, hash chain, relay, projections and HTTP kit shared by every service."""
