"""Configuration → core objects: one builder module per config group behind
:func:`to_scenario` (see :mod:`pilkadasim.config.builders.scenario`)."""

from pilkadasim.config.builders.region import load_region_data, region_parts
from pilkadasim.config.builders.scenario import Built, to_scenario

__all__ = ["Built", "load_region_data", "region_parts", "to_scenario"]
