"""A griffe extension that turns Sphinx roles in docstrings into cross-references.

weaklabel's docstrings follow numpydoc, and numpydoc docstrings link to other objects with
Sphinx roles: ``:class:`Row```, ``:func:`~weaklabel.models.base.probs_to_preds```,
``:meth:`Lexicon.as_source```. mkdocstrings renders Markdown and would print those roles
literally. This extension rewrites each one, once the package is loaded, into an
*optional* autorefs link: resolved names (relative to the object the docstring belongs to,
as Sphinx resolves them) link to their reference entry, and names outside the docs
(``:mod:`re```) render as plain code, without a warning.

``~`` keeps only the last component of the name as the link text, as in Sphinx.
"""

from __future__ import annotations

import html
import re
from typing import Any

from griffe import Alias, Extension, Module, Object

ROLE = re.compile(
    r":(?:py:)?(?P<role>class|func|meth|mod|data|attr|obj|exc|const|type):"
    r"`(?P<tilde>~?)(?P<target>[^`<>]+)`"
)


def _lookup(root: Module, path: str) -> Object | Alias | None:
    try:
        found = root.modules_collection[path]
    except (KeyError, ValueError):
        return None
    return found if isinstance(found, Object | Alias) else None


def _canonical(found: Object | Alias) -> str:
    if isinstance(found, Alias):
        try:
            return found.final_target.path
        except Exception:  # an alias to something not loaded: keep its target path
            return found.target_path
    return found.path


def resolve(obj: Object, target: str, root: Module) -> str | None:
    """The full path ``target`` names when written in ``obj``'s docstring, if it exists."""
    if target.startswith("."):  # relative to the current package, as in ``:mod:`.lexicon```
        module = obj if isinstance(obj, Module) else obj.module
        package = module.path if module.is_package else module.path.rsplit(".", 1)[0]
        target = f"{package}.{target.lstrip('.')}"
    found = _lookup(root, target)
    if found is not None:
        return _canonical(found)
    head, _, rest = target.partition(".")
    scope: Object | None = obj
    while scope is not None:
        try:
            base = scope.resolve(head)
        except Exception:  # NameResolutionError and friends: try the enclosing scope
            base = None
        if base is not None:
            found = _lookup(root, f"{base}.{rest}" if rest else base)
            if found is not None:
                return _canonical(found)
        scope = scope.parent
    return None


def rewrite(text: str, obj: Object, root: Module) -> str:
    """Replace the Sphinx roles in ``text`` by optional autorefs."""

    def link(match: re.Match[str]) -> str:
        target = match["target"].strip()
        shown = target.lstrip(".").rsplit(".", 1)[-1] if match["tilde"] else target.lstrip(".")
        if match["role"] in ("func", "meth"):
            shown += "()"
        identifier = resolve(obj, target, root) or target.lstrip(".")
        return (
            f'<autoref identifier="{html.escape(identifier)}" optional>'
            f"<code>{html.escape(shown)}</code></autoref>"
        )

    return ROLE.sub(link, text)


class SphinxRoles(Extension):
    """Rewrite ``:class:`...```-style roles in every docstring of the loaded package."""

    def on_package(self, *, pkg: Module, **kwargs: Any) -> None:
        self._walk(pkg, pkg)

    def _walk(self, obj: Object, root: Module) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value, obj, root)
        for member in obj.members.values():
            if not isinstance(member, Alias):
                self._walk(member, root)
