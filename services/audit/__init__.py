"""The audit service: every service's events and seals read from Kafka alone,
verified as they arrive against pinned keys, and one timeline across services."""
