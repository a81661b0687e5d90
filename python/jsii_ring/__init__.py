"""Pipelining for the official Python jsii client on jsii-ring's stdio server.

Turn it on before the first jsii call (before importing a jsii library):

    import jsii_ring
    jsii_ring.enable()

or set `JSII_RING_PIPELINE=1` in the environment (the installed `jsii_ring_pipeline.pth`
then calls `enable()` when Python starts; `JSII_RING_PENDING_CAP` sets the cap). With a
runtime that does not offer the extensions (the reference `@jsii/runtime`), the client runs
exactly as without this package.

Calls whose result the program does not need at once (object creation, property writes,
void methods, and calls declared to return an object no Python-made object can be) go
without waiting; the program waits only where it reads a value. A pipelined call that fails
raises `PipelinedCallError` at the next sync point, naming the call and where it was made.
"""
import math
import os

from ._errors import PipelinedCallError, PipelinedFault, PipelinedRuntimeError, PipeliningError
from ._pipeline import KernelGoneError, PipeliningProvider, Settings, install_identity, pending_cap_from, process_started

__all__ = [
    "DEFAULT_PENDING_CAP",
    "KernelGoneError",
    "PipelinedCallError",
    "PipelinedFault",
    "PipelinedRuntimeError",
    "PipeliningError",
    "enable",
    "enabled",
    "flush",
    "pipelining",
    "same_object",
    "stats",
]

#: Pipelined calls in flight before the program waits for the kernel to catch up (the sweep
#: in benchmarks/RESULTS.md, "Python pipelining").
DEFAULT_PENDING_CAP = 64

_provider = None


def enable(pending_cap=None, call_sites=None):
    """Makes the jsii client pipeline. Call it before the first jsii call.

    pending_cap: pipelined calls in flight at most (0: none, `math.inf` or 'unlimited':
        only the server's window limits); default `JSII_RING_PENDING_CAP`, else
        DEFAULT_PENDING_CAP.
    call_sites: record the Python frames that made each pipelined call, for its error
        (default True; `JSII_RING_CALL_SITES=0` turns it off).
    """
    global _provider
    import jsii._runtime

    cap = pending_cap_from(pending_cap if pending_cap is not None else os.environ.get("JSII_RING_PENDING_CAP", DEFAULT_PENDING_CAP))
    sites = call_sites if call_sites is not None else os.environ.get("JSII_RING_CALL_SITES", "1") not in ("0", "false", "no")
    kernel = jsii._runtime.kernel
    if isinstance(kernel.provider, PipeliningProvider):
        if kernel.provider._proc is not None:
            raise PipeliningError("jsii_ring.enable(): the runtime is already running; call it once, before the first jsii call")
        kernel.provider.settings = Settings(cap, sites)
        return
    if process_started(kernel.provider):
        raise PipeliningError(
            "jsii_ring.enable() must be called before the first jsii call (before importing a jsii library): the runtime is already running"
        )
    _provider = PipeliningProvider(Settings(cap, sites))
    kernel.provider = _provider
    install_identity(_provider)


def enabled():
    """True once enable() ran."""
    return _provider is not None


def pipelining():
    """True when the runtime accepted pipelining (false on the reference, or before the first call)."""
    return _provider is not None and _provider.pipelining


def flush():
    """Waits until the kernel has served every call made so far (by the code running now);
    raises the failures of pipelined calls. A no-op when not pipelining."""
    if pipelining():
        _provider._proc.flush()


def stats():
    """Requests by api, sync and pipelined, flow-control round trips, callbacks, failures."""
    if _provider is None:
        return {}
    out = _provider.stats.snapshot()
    out["pipelining"] = _provider.pipelining
    out["pending_cap"] = "unlimited" if _provider.settings.pending_cap == math.inf else _provider.settings.pending_cap
    out["window"] = _provider._proc.window if _provider._proc is not None else None
    return out


def same_object(a, b):
    """True if `a` and `b` stand for the same kernel object (a sync point when pipelining).
    Proxies of pipelined results are told apart only by the kernel: this asks it."""
    if a is b:
        return True
    ref_a = getattr(a, "__jsii_ref__", None)
    ref_b = getattr(b, "__jsii_ref__", None)
    if ref_a is None or ref_b is None:
        return False
    ids = [ref_a.ref.rpartition("@")[2], ref_b.ref.rpartition("@")[2]]
    if pipelining():
        flush()
        ids = [_provider._proc.canonical(i) for i in ids]
    return ids[0] == ids[1]
