"""Pipelining checks on the calc fixture, run by the official Python jsii client with or
without the jsii_ring package enabled (JSII_RING_PIPELINE), on either runtime.

Usage: python pipeline_script.py RESULTS [exit-failure]
Each check is one JSON line `{"check": name, "value": ...}`. Checks named `pipelined.*`
describe how a pipelined call failed (only a pipelined run has them); every other check
must be the same in every mode. With `exit-failure`, the script's last call fails
without a sync point after it: the program must not end as if it had succeeded.
"""
import importlib
import json
import sys
import typing

import jsii
import jsii.errors

ring = importlib.import_module("jsii_ring")  # the pipelining package (installed in the test venv)

from jsii_ring.calc import (  # noqa: E402
    Calculator,
    IFormatter,
    IOperation,
    Literal,
    Pipeline,
    Statics,
    Thrower,
    Token,
)

results = open(sys.argv[1], "w", encoding="utf-8")
SCRIPT = __file__


def check(name: str, value: typing.Any) -> None:
    results.write(json.dumps({"check": name, "value": value}, sort_keys=True) + "\n")
    results.flush()


def failure_of(action: typing.Callable[[], typing.Any], name: str) -> None:
    """Runs `action` (then a sync point); records how it failed, as the client reports it,
    and, for a pipelined call's failure, what it says about the call."""
    try:
        action()
        ring.flush()
    except Exception as error:
        kind = "JSIIError" if isinstance(error, jsii.errors.JSIIError) else "RuntimeError" if isinstance(error, RuntimeError) else type(error).__name__
        check(name, {"type": kind, "message": str(error).splitlines()[0]})
        if isinstance(error, ring.PipelinedCallError):
            check("pipelined." + name, {
                "request": error.request,
                "call_site": [[line, function] for file, line, function in error.call_site if file == SCRIPT],
                "others": [str(other).splitlines()[0] for other in error.others],
                "cause_is_js_stack": isinstance(error.__cause__, jsii.errors.JavaScriptError) and "at " in error.__cause__.stack,
                "code": error.code,
            })
        return
    check(name, {"type": "none", "message": ""})


def line_of(marker: str) -> int:
    with open(SCRIPT, encoding="utf-8") as source:
        return next(i for i, text in enumerate(source, 1) if text.rstrip().endswith("# " + marker))


check("marker.fail_here", line_of("FAIL-HERE"))

if len(sys.argv) > 2 and sys.argv[2] == "exit-failure":
    Calculator(initial_value=1).label = "set before the failure"
    Thrower.throw_deep(1)  # EXIT-FAILURE
    check("exit.reached_end", True)
    results.close()
    sys.exit(0)

# A failing call in the middle of a pipeline: the calls before and after it were sent
# without waiting; the failure names the call and the line that made it.
calc = Calculator(initial_value=0, name="calc")


def failing_sequence() -> str:
    calc.label = "before"
    Thrower.throw_deep(2)  # FAIL-HERE
    Token.of(-1)
    return calc.summary()


failure_of(failing_sequence, "failure.mid_pipeline")
check("failure.kernel_went_on", calc.add(1))
# A call on an object whose creation failed: the root cause is what the program sees.
failure_of(lambda: Token.of(-5).id, "failure.dependent")


# A callback that makes nested calls (pipelined and synchronous, one of them calling back
# again) while the program's own calls are in flight.
@jsii.implements(IFormatter)
class Formatter:
    def __init__(self) -> None:
        self.suffix_writes = []

    @property
    def prefix(self) -> str:
        return "<"

    @property
    def suffix(self) -> str:
        return self.suffix_writes[-1] if self.suffix_writes else ""

    @suffix.setter
    def suffix(self, value: str) -> None:
        self.suffix_writes.append(value)

    def format(self, value: jsii.Number) -> str:
        return "%s" % value


formatter = Formatter()


class Nested(Calculator):
    def bonus(self) -> jsii.Number:
        inner = Calculator(initial_value=5)
        inner.label = "inner"
        Pipeline.decorate(formatter, "from-callback")
        return inner.add(1) + Statics.add(1, 2)


nested = Nested(initial_value=1)
in_flight = [Calculator(initial_value=i) for i in range(10)]
for i, c in enumerate(in_flight):
    c.label = "c%d" % i
Pipeline.decorate(formatter, "from-program")
check("callback.nested_total", nested.total())
check("callback.suffix_writes", formatter.suffix_writes)
check("callback.in_flight_labels", [c.summary() for c in in_flight[:3]])
check("callback.format_with", Pipeline.format_with(formatter, 7))


@jsii.implements(IOperation)
class FailsInside:
    @property
    def name(self) -> str:
        return "fails-inside"

    def apply(self, x: jsii.Number) -> jsii.Number:
        Thrower.throw_deep(1)  # a call without a result, failing: the callback fails with it
        return x


check("callback.nested_failure_seen_by_library", Thrower.catch_from(FailsInside(), 3))


@jsii.implements(IOperation)
class FailsThenRaises:
    @property
    def name(self) -> str:
        return "fails-then-raises"

    def apply(self, x: jsii.Number) -> jsii.Number:
        Thrower.throw_deep(1)  # synchronously, this raises first: the library sees it, not the ValueError
        raise ValueError("raised after the failing call")


check("callback.first_failure_wins", Thrower.catch_from(FailsThenRaises(), 3))


@jsii.implements(IOperation)
class CatchesInside:
    @property
    def name(self) -> str:
        return "catches-inside"

    def apply(self, x: jsii.Number) -> jsii.Number:
        try:
            Thrower.throw_deep(1)
            ring.flush()  # a sync point inside the callback: the failure is raised here, and handled
        except RuntimeError:
            return -x
        return x


check("callback.failure_handled_inside", Thrower.catch_from(CatchesInside(), 3))

# Identity.
made = calc.make_operand(4)  # no Literal made in Python yet: may be pipelined
check("identity.made_value", made.value)
pipeline = Pipeline()


@jsii.implements(IOperation)
class Triple:
    @property
    def name(self) -> str:
        return "triple"

    def apply(self, x: jsii.Number) -> jsii.Number:
        return x * 3


check("identity.fluent_is_self", pipeline.add(Triple()) is pipeline)
literal = Literal(3)
check("identity.stored_is_python_object", calc.store(literal) is literal)
check("identity.itself", calc.itself() is calc)
first, second = Statics.singleton(), Statics.singleton()
check("identity.singleton_same_object", ring.same_object(first, second))
check("identity.singleton_distinct_proxies", first is second)
check("identity.different_objects", ring.same_object(Token.of(1), Token.of(1)))

# Flow control: more bytes than the window, more calls than a small cap.
big = Calculator(initial_value=0)
for i in range(300):
    big.label = "x" * 400 + str(i)
check("flow.last_label", big.summary()[-8:])
for i in range(200):
    Statics.mode = "m%d" % i
check("flow.static_mode", Statics.mode)

check("stats", ring.stats() if ring.enabled() else None)
check("done", True)
results.close()
