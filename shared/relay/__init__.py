"""The relay: sequences committed events, seals them, and publishes both to Kafka."""

from shared.relay.batches import EPOCH_HEADER
from shared.relay.relay import Relay

__all__ = ["EPOCH_HEADER", "Relay"]
