"""Packaging layout (everything else is in pyproject.toml): the package is in src/, and the
root folders conf/ (configuration groups) and experiments/ (named studies) are shipped inside
it as pilkadasim.conf and pilkadasim.experiments — real folders, no symlinks."""

from pathlib import Path

from setuptools import find_namespace_packages, setup

# every folder of conf/ is a data package (its YAML files): named here, so setuptools ships
# them without warning that they are "absent from the packages configuration"
CONF_GROUPS = sorted(
    "pilkadasim.conf." + ".".join(d.relative_to("conf").parts)
    for d in Path("conf").rglob("*")
    if d.is_dir() and not d.name.startswith((".", "__"))
)

setup(
    packages=[*find_namespace_packages("src", include=["pilkadasim*"]), "pilkadasim.conf", *CONF_GROUPS, "pilkadasim.experiments"],
    package_dir={"": "src", "pilkadasim.conf": "conf", "pilkadasim.experiments": "experiments"},
)
