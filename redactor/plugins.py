"""Build the plugin manager: default plugins first, then the organisation's.

Load order decides precedence for ``firstresult`` hooks (pluggy calls the
most recently registered plugin first), so organisation plugins, loaded
last, can override any default by answering a hook.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .errors import UsageError

ENTRY_POINT_GROUP = "redactor"

#: Built-in behaviour, each module a plugin. Formats, detectors, attribution,
#: then the base policy; order only matters among firstresult hooks.
DEFAULT_PLUGINS = (
    "redactor.formats.text",
    "redactor.formats.docx",
    "redactor.formats.pdf",
    "redactor.detectors.patterns",
    "redactor.detectors.people",
    "redactor.detectors.client_record",
    "redactor.detectors.places",
    "redactor.detectors.special",
    "redactor.detectors.terms",
    "redactor.attribution",
    "redactor.policy.labels",
    "redactor.policy.base",
)

#: Where organisation plugins live in this project (``plugins/<org>.py``).
ORG_PLUGIN_DIR = Path(__file__).resolve().parent.parent / "plugins"


def _load_org_module(name: str, directory: Path) -> ModuleType:
    """Import ``directory/<name>.py`` under a private module name."""
    path = directory / f"{name}.py"
    if not path.is_file():
        raise UsageError(f"organisation plugin {name!r} not found at {path}")
    module_name = f"redactor_org_plugins.{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def make_manager(config: dict[str, Any] | None = None) -> pluggy.PluginManager:
    """A plugin manager with the defaults and, given a config, its organisation's plugins.

    The organisation named by ``config["plugin"]`` (default: ``config["org"]``)
    always loads from ``plugins/``. Any other plugin, from ``plugins/`` or an
    installed package's ``redactor`` entry point, loads only if it is named
    in the config's ``plugins.allow`` list: code that decides what leaves the
    building is never picked up just because it is installed.
    """
    pm = pluggy.PluginManager("redactor")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if not config:
        return pm
    allow = list((config.get("plugins") or {}).get("allow") or [])
    org_plugin = config.get("plugin", config.get("org"))
    directory = Path(config.get("plugin_dir") or ORG_PLUGIN_DIR)
    if org_plugin:
        pm.register(_load_org_module(org_plugin, directory), name=f"org:{org_plugin}")
    installed = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    for name in allow:
        if name in installed:
            pm.register(installed[name].load(), name=f"entrypoint:{name}")
        elif (directory / f"{name}.py").is_file():
            pm.register(_load_org_module(name, directory), name=f"org:{name}")
        else:
            raise UsageError(f"allowed plugin {name!r} is neither installed nor in {directory}")
    return pm
