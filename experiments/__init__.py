"""The named studies (``pilkadasim experiment=NAME``): one YAML file each; README.md lists them.

Packaged as ``pilkadasim.experiments``; Hydra sees this folder as the config group
``experiment`` (see :mod:`pilkadasim.config.studies`)."""
