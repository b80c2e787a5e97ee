"""redactor: redact reports before they leave a charity, by policy and consent.

Plugins implement the hooks in `redactor.hookspecs` with `@redactor.hookimpl`.
"""
import pluggy

hookimpl = pluggy.HookimplMarker("redactor")

__all__ = ["hookimpl"]
