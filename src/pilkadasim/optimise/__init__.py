"""Decision support: where each reserve team should wait (``experiment=optimise_staging``).

Coverage-model start (MEXCLP, :mod:`~pilkadasim.optimise.coverage`) → simulation local search
on common random numbers (:mod:`~pilkadasim.optimise.search`) → ranking and selection with a
stated probability of correct selection (KN, :mod:`~pilkadasim.optimise.selection`). The
entry points are :func:`pilkadasim.optimise.run.optimise` (Python) and
:func:`pilkadasim.optimise.outputs.run_optimise` (the command line).
"""
