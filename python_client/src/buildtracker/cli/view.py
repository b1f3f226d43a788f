"""``view``: the rendering module (``buildtracker.cli.output``), loaded when a
command first prints, not when the CLI starts: it imports rich, which
``--help`` and usage errors do not need (the 150 ms start-up target)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any


class _LazyModule(ModuleType):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self.__name__)
        return getattr(self._module, attribute)


if TYPE_CHECKING:
    from buildtracker.cli import output as view
else:
    view = _LazyModule("buildtracker.cli.output")

__all__ = ["view"]
