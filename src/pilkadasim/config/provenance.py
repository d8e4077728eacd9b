"""What a run's numbers depend on: the configuration, the package version and the *content*
of every input file (region CSVs, outlines, travel matrix).

``config_hash`` (in :mod:`pilkadasim.api`) folds :func:`input_hashes` in, so a run folder whose
region files were edited after it finished is no longer "complete": it is simulated again, and
a sweep never mixes results computed from different files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from omegaconf import DictConfig

REGION_FILES = ("tps.csv", "bases.csv", "units.csv", "outlines.json")


def region_folder(cfg: DictConfig) -> Path | None:
    """The folder the region files are read from (``None`` for a generated region)."""
    from pilkadasim.data.loaders import PACKAGED, packaged_dir

    name = str(cfg.region.name)
    if name == "synthetic":
        return None
    if name in PACKAGED:
        return packaged_dir(name)
    directory = cfg.region.get("dir")
    return Path(str(directory)).expanduser() if directory else None


def input_files(cfg: DictConfig) -> list[Path]:
    """Every file a run of ``cfg`` reads (whether or not it exists yet)."""
    folder = region_folder(cfg)
    if folder is None:
        return []
    names = list(REGION_FILES)
    if cfg.travel.mode == "matrix" and cfg.travel.get("matrix_file"):
        names.append(str(cfg.travel.matrix_file))
    return [folder / n for n in names]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(cfg: DictConfig) -> dict[str, str]:
    """``{file name: sha256}`` of the input files; ``"absent"`` for an optional file that is
    not there and ``"not a file"`` for a folder in its place (the loader reports those)."""
    out = {}
    for path in input_files(cfg):
        if path.is_file():
            out[path.name] = sha256_file(path)
        elif path.exists():
            out[path.name] = "not a file"
        else:
            out[path.name] = "absent"
    return out


def changed_inputs(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Names of input files whose content differs between two ``input_hashes``."""
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
