"""The one Whoosh release Dépêche is written against, checked once.

Five packages install themselves into the same ``whoosh/`` folder
(``Whoosh``, ``whoosh-reloaded``, ``whoosh3``, ``whoosh-ng``,
``whoosh-novo``): two in one environment silently overwrite each other's
files. The adapter reads Whoosh's codec structures directly, which only the
exact pin makes safe, so it refuses any other release with one line saying
what is installed and how to put the pinned one back.

This module imports nothing of Whoosh's: it runs before the adapter does.
"""

from __future__ import annotations

from importlib import metadata

from indexer.errors import IndexerError

PACKAGE = "whoosh-reloaded"
VERSION = "2.7.5"


class WhooshVersionError(IndexerError, ImportError):
    """Another Whoosh than the pinned one is installed."""

    def __init__(self, found: str):
        self.found = found
        super().__init__(
            f"Dépêche needs {PACKAGE} {VERSION}, but {found} is installed in its place: "
            f"pip uninstall the other one, then pip install --force-reinstall {PACKAGE}=={VERSION}")


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def installed_whoosh() -> tuple[list[tuple[str, str]], str | None]:
    """The distributions providing the ``whoosh`` package (name, version),
    and the version the importable ``whoosh`` says it is (None if none)."""
    names = metadata.packages_distributions().get("whoosh", [])
    dists = []
    for name in dict.fromkeys(names):
        try:
            dists.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            dists.append((name, "?"))
    try:
        import whoosh

        module_version = whoosh.versionstring()
    except Exception:  # noqa: BLE001  (a foreign or broken whoosh: reported below)
        module_version = None
    return dists, module_version


_checked = False


def check_whoosh() -> None:
    """Raise :class:`WhooshVersionError` unless whoosh-reloaded 2.7.5 alone
    provides ``whoosh`` (checked once per process)."""
    global _checked
    if _checked:
        return
    dists, module_version = installed_whoosh()
    others = [f"{name} {version}" for name, version in dists if _norm(name) != PACKAGE]
    pinned = [version for name, version in dists if _norm(name) == PACKAGE]
    if others:
        raise WhooshVersionError(", ".join(others))
    if pinned and pinned[0] != VERSION:
        raise WhooshVersionError(f"{PACKAGE} {pinned[0]}")
    if module_version != VERSION:
        raise WhooshVersionError(f"whoosh {module_version or '(not importable)'}")
    _checked = True


__all__ = ["PACKAGE", "VERSION", "WhooshVersionError", "check_whoosh", "installed_whoosh"]
