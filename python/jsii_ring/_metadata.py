"""What the assemblies declare: which calls may be pipelined.

Read from the `.jsii` assembly inside each tarball the client loads (the declared return
type of every method and property), once per tarball, and kept as a compact table in the
cache directory (`$JSII_RING_CACHE_DIR/python-pipeline/`, default
`~/.cache/jsii-ring/python-pipeline/`), keyed by the package, its version and the
tarball's size and modification time.

A table holds, for every class and behavioural interface: kind (`c`/`i`), base class,
interfaces, and per member (instance `m`, static `s`) one code:
  "V"    a method that returns nothing (void)
  <fqn>  a required (non-optional) result whose declared type is a named type
  0      anything else (primitives, collections, unions, optional results, async methods)
Structs and enums are not listed: a name that is not in any table is never pipelined.
"""
import gzip
import json
import os
import tarfile
import tempfile

SCHEMA = 1
VOID = "V"


def default_cache_dir():
    """Where tables are kept."""
    root = os.environ.get("JSII_RING_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "jsii-ring")
    return os.path.join(root, "python-pipeline")


class AssemblyReadError(Exception):
    """A tarball whose assembly cannot be read (the load itself then fails in the kernel)."""


def _assembly_from_tarball(path):
    """The parsed `.jsii` of an npm tarball (following a `jsii/file-redirect`)."""
    wanted = {}
    redirect = None
    with tarfile.open(path, "r:*") as archive:
        for member in archive:
            name = member.name
            if not name.startswith("package/.jsii") or not member.isfile():
                continue
            data = archive.extractfile(member).read()
            wanted[name] = data
            if name == "package/.jsii":
                spec = json.loads(data)
                if spec.get("schema") != "jsii/file-redirect":
                    return spec
                redirect = "package/" + spec["filename"]
            if redirect is not None and redirect in wanted:
                break
    if redirect is None:
        raise AssemblyReadError("%s holds no package/.jsii" % path)
    if redirect not in wanted:
        raise AssemblyReadError("%s: the assembly redirects to %s, which is missing" % (path, redirect))
    data = wanted[redirect]
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return json.loads(data)


def _member_code(returns_or_property, is_property):
    """The table code of a method's `returns` (None: void) or a property."""
    if is_property:
        if returns_or_property.get("optional"):
            return 0
        type_ref = returns_or_property.get("type", {})
    else:
        if returns_or_property is None:
            return VOID
        if returns_or_property.get("optional"):
            return 0
        type_ref = returns_or_property.get("type", {})
    fqn = type_ref.get("fqn")
    return fqn if isinstance(fqn, str) else 0


def build_table(assembly):
    """The compact table of a parsed assembly."""
    table = {}
    for fqn, spec in (assembly.get("types") or {}).items():
        kind = spec.get("kind")
        if kind == "class":
            code = "c"
        elif kind == "interface" and not spec.get("datatype"):
            code = "i"
        else:
            continue
        instance, static = {}, {}
        for method in spec.get("methods") or []:
            target = static if method.get("static") else instance
            target[method["name"]] = 0 if method.get("async") else _member_code(method.get("returns"), False)
        for prop in spec.get("properties") or []:
            target = static if prop.get("static") else instance
            target[prop["name"]] = _member_code(prop, True)
        bases = spec.get("interfaces") or []
        table[fqn] = [code, spec.get("base"), bases, instance, static]
    return table


def load_table(name, version, tarball, cache_dir=None):
    """The table of a tarball's assembly, from the cache or built (and cached) now."""
    cache_dir = cache_dir or default_cache_dir()
    stat = os.stat(tarball)
    safe = name.replace("/", "+").replace("@", "")
    file = os.path.join(cache_dir, "v%d-%s@%s-%d-%d.json" % (SCHEMA, safe, version, stat.st_size, stat.st_mtime_ns))
    try:
        with open(file, "r", encoding="utf-8") as cached:
            return json.load(cached)
    except (OSError, ValueError):
        pass
    try:
        table = build_table(_assembly_from_tarball(tarball))
    except (OSError, ValueError, KeyError, tarfile.TarError) as error:
        raise AssemblyReadError("cannot read the assembly of %s@%s from %s: %s" % (name, version, tarball, error)) from error
    try:
        os.makedirs(cache_dir, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=cache_dir, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(table, out, separators=(",", ":"))
        os.replace(temp, file)
    except OSError:
        pass  # the cache is an optimisation
    return table


class Assemblies:
    """The tables of every assembly loaded so far, and questions about their types."""

    def __init__(self, cache_dir=None):
        self._cache_dir = cache_dir
        self._types = {}
        self._members = {}
        self._ancestors = {}

    def register(self, name, version, tarball):
        """Adds the assembly a `load` request names."""
        self._types.update(load_table(name, version, tarball, self._cache_dir))
        # Answers about a type may change once more of its bases are known.
        self._members.clear()
        self._ancestors.clear()

    def kind(self, fqn):
        """`c` (class), `i` (behavioural interface), or None (struct, enum, unknown)."""
        entry = self._types.get(fqn)
        return entry[0] if entry is not None else None

    def member(self, fqns, name, static):
        """The code of member `name` as the first of `fqns` (a type and then its other
        interfaces) that declares it, searching bases and interfaces; None if none does."""
        key = (fqns, name, static)
        try:
            return self._members[key]
        except KeyError:
            pass
        found = None
        seen = set()
        pending = list(fqns)
        slot = 4 if static else 3
        while pending:
            fqn = pending.pop(0)
            if fqn in seen:
                continue
            seen.add(fqn)
            entry = self._types.get(fqn)
            if entry is None:
                continue
            members = entry[slot]
            if name in members:
                found = members[name]
                break
            if entry[1]:
                pending.append(entry[1])
            pending.extend(entry[2])
        self._members[key] = found
        return found

    def ancestors(self, fqn):
        """`fqn` and every class and interface it extends or implements, transitively."""
        try:
            return self._ancestors[fqn]
        except KeyError:
            pass
        out = {fqn}
        entry = self._types.get(fqn)
        if entry is not None:
            if entry[1]:
                out |= self.ancestors(entry[1])
            for iface in entry[2]:
                out |= self.ancestors(iface)
        result = frozenset(out)
        self._ancestors[fqn] = result
        return result
