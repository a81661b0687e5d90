"""Phase timing and the report of a benchmark app run by the official Python jsii client.

An app calls `phase(name)` at the end of each phase and `write(path, **facts)` at the end.
Phases (seconds, time.perf_counter):
  import  importing the jsii client (the same on every runtime)
  start   starting the runtime program named by JSII_RUNTIME and its hello
  load    importing the bindings: the kernel loads each assembly
  build   constructing the app (through jsii_ring.flush() when pipelining: until the
          kernel has served every request)
  synth   producing the output (likewise through a flush)
When jsii_ring is enabled, its statistics are added to the report.
"""
import json
import sys
import time

_started = time.perf_counter()
_last = _started
phases = {}


def phase(name):
    """Ends phase `name` now (it started where the previous one ended)."""
    global _last
    now = time.perf_counter()
    phases[name] = round(now - _last, 4)
    _last = now


def start_runtime():
    """Starts the runtime program now (the client otherwise starts it at the first jsii call)."""
    import jsii._runtime

    getattr(jsii._runtime.kernel.provider, "_process")


def _pipelining():
    """The jsii_ring pipelining package if it is imported (`jsii_ring` may also be only the
    namespace of the calc fixture's bindings, `jsii_ring.calc`)."""
    ring = sys.modules.get("jsii_ring")
    return ring if ring is not None and hasattr(ring, "flush") else None


def flush():
    """Waits until the kernel has served every request (a no-op without pipelining)."""
    ring = _pipelining()
    if ring is not None:
        ring.flush()


def write(path, **facts):
    """Writes the report: phases, total in-script time, the facts given, jsii_ring's statistics."""
    report = {"phases": phases, "script": round(time.perf_counter() - _started, 4)}
    report.update(facts)
    ring = _pipelining()
    if ring is not None and ring.enabled():
        report["pipelining"] = ring.stats()
    with open(path, "w", encoding="utf-8") as out:
        json.dump(report, out, sort_keys=True)
