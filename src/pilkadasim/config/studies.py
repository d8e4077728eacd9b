"""Where Hydra finds the named studies: the ``experiment`` config group, read from the
``experiments/`` folder at the repository root (packaged as ``pilkadasim.experiments``).

The configuration groups live in ``conf/`` (packaged as ``pilkadasim.conf``, Hydra's
``pkg://pilkadasim.conf``); the studies sit apart from them in their own folder, so this small
config source presents that folder to Hydra as the group ``experiment``. ``conf/config.yaml``
adds it to Hydra's search path (``hydra.searchpath: [studies://pilkadasim.experiments]``);
:func:`register` must run before Hydra composes (the API and the command line call it).
"""

from __future__ import annotations

import io
import os
from importlib import resources
from importlib.abc import Traversable

from hydra.core.object_type import ObjectType
from hydra.plugins.config_source import ConfigLoadError, ConfigResult, ConfigSource
from omegaconf import OmegaConf

GROUP = "experiment"


class StudiesSource(ConfigSource):
    """The files of one package (``path``) as the config group ``experiment``."""

    def __init__(self, provider: str, path: str) -> None:
        super().__init__(provider=provider, path=path)
        self.path = self.path.replace("/", ".").rstrip(".")

    @staticmethod
    def scheme() -> str:
        return "studies"

    def _folder(self) -> Traversable | None:
        try:
            return resources.files(self.path)
        except (ValueError, ModuleNotFoundError, TypeError):
            return None

    def _entry(self, config_path: str) -> Traversable | None:
        """The file or folder ``config_path`` names, if it is inside the group."""
        folder = self._folder()
        parts = [p for p in config_path.split("/") if p]
        if folder is None or not parts or parts[0] != GROUP:
            return None
        for part in parts[1:]:
            folder = folder.joinpath(part)
        return folder

    def available(self) -> bool:
        folder = self._folder()
        return folder is not None and folder.joinpath("__init__.py").is_file()

    def is_group(self, config_path: str) -> bool:
        if config_path in ("", "/"):
            return True
        entry = self._entry(config_path)
        return entry is not None and entry.is_dir()

    def is_config(self, config_path: str) -> bool:
        entry = self._entry(self._normalize_file_name(config_path))
        return entry is not None and entry.is_file()

    def load_config(self, config_path: str) -> ConfigResult:
        name = self._normalize_file_name(config_path)
        entry = self._entry(name)
        if entry is None or not entry.is_file():
            raise ConfigLoadError(f"Config not found : {name}")
        text = entry.read_text(encoding="utf-8")
        return ConfigResult(
            config=OmegaConf.create(OmegaConf.load(io.StringIO(text)) if text.strip() else {}),
            path=f"{self.scheme()}://{self.path}",
            provider=self.provider,
            header=ConfigSource._get_header_dict(text[:512]),
        )

    def list(self, config_path: str, results_filter: ObjectType | None) -> list[str]:
        files: list[str] = []
        if config_path in ("", "/"):
            entries = [GROUP]
            base = ""
        else:
            entry = self._entry(config_path)
            if entry is None or not entry.is_dir():
                return []
            entries = [e.name for e in entry.iterdir()]
            base = config_path
        for name in entries:
            self._list_add_result(
                files=files,
                file_path=os.path.join(base, name),
                file_name=name,
                results_filter=results_filter,
            )
        return sorted(set(files))


def register() -> None:
    """Make the ``studies://`` scheme known to Hydra (idempotent)."""
    from hydra.core.plugins import Plugins

    Plugins.instance().register(StudiesSource)
