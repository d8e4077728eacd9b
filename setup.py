"""Packaging layout (everything else is in pyproject.toml): the package is in src/, and the
root folders conf/ (configuration groups) and experiments/ (named studies) are shipped inside
it as pilkadasim.conf and pilkadasim.experiments — real folders, no symlinks."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "pilkadasim.conf", "pilkadasim.experiments"],
    package_dir={"": "src", "pilkadasim.conf": "conf", "pilkadasim.experiments": "experiments"},
)
