"""Projections: Kafka consumers that apply events to read models exactly once in effect."""

from shared.projections.protocol import Projection
from shared.projections.runner import ProjectionRunner
from shared.projections.waiting import wait_for_position

__all__ = ["Projection", "ProjectionRunner", "wait_for_position"]
