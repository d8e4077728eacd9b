"""Former home of the config → scenario converter, now :mod:`pilkadasim.config.builders` (one
builder per config group). These names stay importable from here for code written against it."""

from pilkadasim.config.builders import Built, load_region_data, region_parts, to_scenario
from pilkadasim.config.builders.incidents import voters_weight

__all__ = ["Built", "load_region_data", "region_parts", "to_scenario", "voters_weight"]
