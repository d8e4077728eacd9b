"""Figures (matplotlib). Importing this package keeps matplotlib's font-cache INFO line
("generated new fontManager") off the console, where Hydra's logging would print it."""

import logging

logging.getLogger("matplotlib.font_manager").setLevel(logging.WARNING)
