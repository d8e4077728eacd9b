"""The simulation runs compared, aggregated and decided across design points: aggregate jobs,
check and resume them, paired comparisons, recommendation."""
