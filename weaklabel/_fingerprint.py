"""Stable fingerprints of source definitions and data, used as cache keys.

A source's fingerprint changes when what it computes may change. It follows what the
source reads, as far as Python lets it be seen without running it:

- its **code**: bytecode, constants, names, nested functions and comprehensions (line
  numbers and comments do not count);
- its **default arguments** and **closure** values;
- every **global** its code names, by value: a keyword list at module level, a compiled
  regex, a NumPy array or pandas frame (content hash), a dict edited in place;
- **attributes of modules** it reads, such as ``config.KEYWORDS`` or ``settings.a.b`` (the
  value at the end of the chain, not the whole module);
- the **functions and classes it calls**, recursively and to any depth: an edit in a
  helper three calls down changes the fingerprint of every source that reaches it;
- **objects** it holds (resources, closure values, globals) by their state: the class's
  code and the instance's attributes, recursively; an object with a ``fingerprint()``
  method is asked for it.

Code from installed libraries (the standard library, site-packages, weaklabel itself) is
keyed by its qualified name, not read: it does not change while you work.

**What it cannot see** (change one of these and a cached column is stale; clear the cache,
or pass the value as a resource so that it is part of the fingerprint):

- what the code reads at run time from outside Python objects: files opened by name,
  environment variables, the network, the clock, random numbers;
- names looked up dynamically (``getattr(obj, name)`` with a computed ``name``,
  ``globals()[...]``, ``eval``) and modules imported inside the function body;
- state held outside ``__dict__`` / ``__slots__`` in objects of compiled extensions (a
  spaCy ``Vocab``'s C structures, a torch tensor edited in place), and any object whose
  state is larger than the budget below: such an object is keyed by its identity, so
  within a session replacing it is seen but editing it in place is not, and a disk cache
  does not reuse its columns across sessions.
"""

from __future__ import annotations

import dis
import functools
import hashlib
import sys
import sysconfig
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from weaklabel.errors import _OverBudget

_SIMPLE = (str, bytes, int, float, complex, bool, type(None))
_BUDGET = 200_000
"""How many objects one fingerprint may visit before the rest are keyed by identity."""
_LIBRARY_OBJECT_BUDGET = 20_000
"""How many objects the state of one library object (not user code) may hold and be read."""
_BIG_SIMPLE_CONTAINER = 64
"""Containers of simple values longer than this are hashed in one ``repr`` call."""


@functools.lru_cache(maxsize=1)
def _library_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    roots = {paths.get(key, "") for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    return tuple(sorted(root for root in roots if root))


def _is_library_module(module_name: str | None) -> bool:
    """True for code that does not change while a user works: stdlib, installed packages."""
    if not module_name:
        return False
    top = module_name.partition(".")[0]
    if top in ("weaklabel", "builtins") or top in sys.builtin_module_names:
        return True
    if top == "__main__":
        return False
    module = sys.modules.get(module_name) or sys.modules.get(top)
    if module is None:
        return False
    path = getattr(module, "__file__", None)
    if not path:  # frozen stdlib modules; namespace packages
        return getattr(module, "__spec__", None) is not None and module_name in sys.modules
    return str(path).startswith(_library_roots())


def _is_library_code(obj: Any) -> bool:
    """True for a class or function defined by library code (see :func:`_is_library_module`).

    Code run by ``exec`` without a ``__name__`` reports the module ``builtins``; it is user
    code unless ``builtins`` really holds it.
    """
    module_name = getattr(obj, "__module__", None)
    if module_name == "builtins":
        import builtins

        return getattr(builtins, getattr(obj, "__qualname__", ""), None) is obj
    return _is_library_module(module_name)


class _Fingerprinter:
    """Walks a value and everything it reaches, producing a stable text form."""

    def __init__(self) -> None:
        self.memo: dict[int, str] = {}
        self.active: set[int] = set()
        self.active_functions: set[int] = set()  # separate: value() marks a function first
        self.keep: list[Any] = []  # keeps memoised objects alive so ids are not reused
        self.visited = 0
        self.limit: int | None = None  # set while reading a library object's state

    # ------------------------------------------------------------------ values
    def value(self, value: Any) -> str:
        if isinstance(value, _SIMPLE):
            return repr(value)
        key = id(value)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:  # a cycle: name it by type, stably
            return f"<cycle:{type(value).__qualname__}>"
        self.visited += 1
        if self.limit is not None and self.visited > self.limit:
            raise _OverBudget
        if self.visited > _BUDGET:
            return _identity(value)
        self.active.add(key)
        try:
            text = self._value(value)
        finally:
            self.active.discard(key)
        self.memo[key] = text
        self.keep.append(value)
        return text

    def _value(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            if len(value) > _BIG_SIMPLE_CONTAINER and all(isinstance(v, _SIMPLE) for v in value):
                return f"{type(value).__name__}:{digest([repr(value)])}"
            inner = ",".join(self.value(v) for v in value)
            return f"{type(value).__name__}({inner})"
        if isinstance(value, set | frozenset):
            return f"set({','.join(sorted(self.value(v) for v in value))})"
        if isinstance(value, dict):
            items = sorted((self.value(k), self.value(v)) for k, v in value.items())
            return "dict(" + ",".join(f"{k}:{v}" for k, v in items) + ")"
        if isinstance(value, types.FunctionType):
            return "fn:" + self.function(value)
        if isinstance(value, types.MethodType):
            return f"method({self.value(value.__self__)},{self.value(value.__func__)})"
        if isinstance(value, functools.partial):
            return (
                f"partial({self.value(value.func)},{self.value(value.args)},"
                f"{self.value(value.keywords)})"
            )
        if isinstance(value, types.ModuleType):
            return f"module:{value.__name__}"
        if isinstance(value, types.BuiltinFunctionType | types.BuiltinMethodType):
            owner = getattr(value, "__self__", None)
            bound = (
                "" if owner is None or isinstance(owner, types.ModuleType) else self.value(owner)
            )
            return f"builtin:{getattr(value, '__module__', '')}.{value.__qualname__}{bound}"
        if isinstance(value, type):
            return self._class(value)
        fingerprint = getattr(value, "fingerprint", None)
        if callable(fingerprint) and not isinstance(value, type):
            try:
                return f"fp:{fingerprint()}"
            except TypeError:
                pass
        if hasattr(value, "pattern") and hasattr(value, "flags"):  # compiled regex
            return f"re({value.pattern!r},{value.flags})"
        array_digest = _array_digest(value)
        if array_digest is not None:
            return array_digest
        return self._object(value)

    def _class(self, cls: type) -> str:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if _is_library_code(cls):
            return f"class:{name}"
        members = sorted(
            (attr, self.value(member))
            for attr, member in vars(cls).items()
            if not (attr.startswith("__") and attr.endswith("__"))
            or attr in ("__init__", "__call__", "__getitem__", "__contains__")
        )
        bases = ",".join(self.value(base) for base in cls.__bases__ if base is not object)
        return f"class:{name}({bases})" + digest([f"{a}={v}" for a, v in members])

    def _object(self, value: Any) -> str:
        cls = type(value)
        state: dict[str, Any] = {}
        own = getattr(value, "__dict__", None)
        if isinstance(own, dict):
            state.update(own)
        for klass in cls.__mro__:
            for slot in getattr(klass, "__slots__", ()) or ():
                if isinstance(slot, str) and slot not in ("__dict__", "__weakref__"):
                    try:
                        state[slot] = getattr(value, slot)
                    except AttributeError:
                        continue
        if not _is_library_code(cls):
            return f"obj:{self._class(cls)}:{self.value(state)}"
        if not state and not _plain_object(value):
            # a compiled extension's object: its state is not visible from Python
            return _identity(value)
        outer = self.limit
        self.limit = self.visited + _LIBRARY_OBJECT_BUDGET
        if outer is not None:
            self.limit = min(self.limit, outer)
        try:
            return f"obj:{self._class(cls)}:{self.value(state)}"
        except _OverBudget:
            if outer is not None and self.visited > outer:
                raise
            return _identity(value)
        finally:
            self.limit = outer

    # --------------------------------------------------------------- functions
    def function(self, func: Callable[..., Any]) -> str:
        key = id(func)
        if key in self.memo:
            return self.memo[key]
        qualname = getattr(func, "__qualname__", repr(func))
        code = getattr(func, "__code__", None)
        if code is None:
            return digest([qualname, self.value(func)])
        if _is_library_code(func):
            return digest([f"{func.__module__}.{qualname}"])
        if key in self.active_functions:
            return digest(["<recursive>", qualname])
        self.active_functions.add(key)
        try:
            parts: list[str] = [qualname]
            parts.extend(self._code_parts(code))
            parts.append(self.value(getattr(func, "__defaults__", None)))
            parts.append(self.value(getattr(func, "__kwdefaults__", None)))
            for cell in getattr(func, "__closure__", None) or ():
                try:
                    parts.append(self.value(cell.cell_contents))
                except ValueError:  # empty cell
                    parts.append("<empty>")
            func_globals = getattr(func, "__globals__", {})
            builtins = func_globals.get("__builtins__", {})
            for chain in sorted(_global_reads(code)):
                parts.append(self._global_chain(chain, func_globals, builtins))
            text = digest(parts)
        finally:
            self.active_functions.discard(key)
        self.memo[key] = text
        self.keep.append(func)
        return text

    def _global_chain(
        self, chain: tuple[str, ...], func_globals: dict[str, Any], builtins: Any
    ) -> str:
        """The value a chain ``name.attr.attr`` resolves to, read from the globals."""
        head, rest = chain[0], chain[1:]
        if head in func_globals:
            value = func_globals[head]
        elif (isinstance(builtins, dict) and head in builtins) or (
            isinstance(builtins, types.ModuleType) and hasattr(builtins, head)
        ):
            return f"{head}=builtin"
        else:
            return f"{head}=<unbound>"
        walked = [head]
        for attr in rest:  # follow attributes through modules only: config.KEYWORDS
            if not isinstance(value, types.ModuleType) or _is_library_module(value.__name__):
                break
            if not hasattr(value, attr):
                return f"{'.'.join([*walked, attr])}=<missing>"
            value = getattr(value, attr)
            walked.append(attr)
        return f"{'.'.join(walked)}={self.value(value)}"

    def _code_parts(self, code: types.CodeType) -> Iterator[str]:
        yield code.co_code.hex()
        yield repr(code.co_names)
        yield repr(code.co_varnames)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                yield from self._code_parts(const)
            else:
                yield self.value(const)


_GLOBAL_LOADS = {"LOAD_GLOBAL", "LOAD_NAME"}
_ATTR_LOADS = {"LOAD_ATTR", "LOAD_METHOD"}


def _global_reads(code: types.CodeType) -> set[tuple[str, ...]]:
    """Every global name the code reads, with the attribute chain read from it.

    ``config.KEYWORDS`` gives ``("config", "KEYWORDS")`` (and ``("config",)``); nested
    code (comprehensions, lambdas, inner functions) is included.

    Returns
    -------
    set of tuple of str
    """
    reads: set[tuple[str, ...]] = set()
    chain: list[str] = []
    for instruction in dis.get_instructions(code):
        name = instruction.opname
        if name in _GLOBAL_LOADS:
            if chain:
                reads.add(tuple(chain))
            chain = [str(instruction.argval)]
        elif name in _ATTR_LOADS and chain:
            chain.append(str(instruction.argval))
        else:
            if chain:
                reads.add(tuple(chain))
            chain = []
    if chain:
        reads.add(tuple(chain))
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            reads |= _global_reads(const)
    heads = {(chain[0],) for chain in reads}
    return reads | heads


def _plain_object(value: Any) -> bool:
    """An instance of ``object`` itself or of a class without state: nothing to hide."""
    return type(value).__init__ is object.__init__ and not hasattr(type(value), "__slots__")


def _identity(value: Any) -> str:
    """The fallback: the object itself, never equal to another object's fingerprint."""
    return f"<{type(value).__qualname__}@{id(value)}>"


def _array_digest(value: Any) -> str | None:
    """Content hash of NumPy arrays and pandas objects (whose reprs are shortened)."""
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.ndarray):
        if value.dtype == object:
            return "ndarray(" + value_fingerprint(value.tolist()) + ")"
        data = numpy.ascontiguousarray(value)
        return f"ndarray({data.dtype},{data.shape},{digest([data.tobytes().hex()])})"
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.DataFrame | pandas.Series | pandas.Index):
        try:
            hashed = pandas.util.hash_pandas_object(value, index=True).to_numpy()
        except TypeError:
            return None
        names = repr(list(value.columns)) if isinstance(value, pandas.DataFrame) else ""
        return f"pandas({type(value).__name__},{names},{digest([hashed.tobytes().hex()])})"
    return None


def value_fingerprint(value: Any) -> str:
    """A text form of ``value`` that is the same across sessions when its content is.

    Parameters
    ----------
    value : object
        Anything: simple values, containers, arrays, frames, functions, objects.

    Returns
    -------
    str
        Equal for equal content; see the module docstring for what is followed.
    """
    return _Fingerprinter().value(value)


def _stable_repr(value: Any, depth: int = 0) -> str:
    """Former name of :func:`value_fingerprint` (``depth`` is ignored)."""
    return value_fingerprint(value)


def function_fingerprint(func: Callable[..., Any], depth: int = 0) -> str:
    """Fingerprint of a Python function's behaviour-relevant definition.

    Parameters
    ----------
    func : callable
        A function, a bound method, a builtin, or any callable object.
    depth : int
        Ignored; kept for callers of the earlier signature.

    Returns
    -------
    str
        32 hex characters.
    """
    if isinstance(func, types.FunctionType):
        return _Fingerprinter().function(func)
    return digest([getattr(func, "__qualname__", type(func).__qualname__), value_fingerprint(func)])


def digest(parts: Iterable[str]) -> str:
    """Hex digest (BLAKE2b, 16 bytes) of a sequence of strings."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()
