"""Webhooks: subscribers other agencies register; each event of the service's published
order they asked for is POSTed to them, signed, in order, at least once."""
