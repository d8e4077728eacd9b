"""The theory harness behind ``pilkadasim-validate``: the engine against closed forms and
the coverage of its confidence intervals (input checks are :mod:`pilkadasim.config.checks`)."""
