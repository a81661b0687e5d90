"""A Python program on the jsii test fixture, run by the official Python jsii client.

The runtime is whatever JSII_RUNTIME names: the test runs this script once on jsii-ring's
stdio server and once on the reference runtime, and compares what it wrote. Each check is
written as one JSON line `{"check": name, "value": ...}` to the file named by argv[1]
(not to stdout: the library's console output arrives there from another thread).
"""
import importlib
import json
import os
import sys
import typing

import jsii
import jsii.errors
from jsii_ring.calc import (
    Calculator,
    Color,
    DisplayOptions,
    Geometry,
    IAsyncSource,
    IOperation,
    Pipeline,
    Point,
    Rounding,
    Statics,
    Thrower,
    Values,
)

results = open(sys.argv[1], "w", encoding="utf-8")

# With the jsii_ring pipelining package on, a call whose result is not read (a void method)
# fails at the next sync point: flush() is one (a no-op otherwise, and without the package:
# `jsii_ring` may be only the namespace of the fixture's bindings).
sync_point = getattr(importlib.import_module("jsii_ring"), "flush", lambda: None)


def check(name: str, value: typing.Any) -> None:
    results.write(json.dumps({"check": name, "value": value}, sort_keys=True) + "\n")
    results.flush()


def error_of(action: typing.Callable[[], typing.Any]) -> typing.Dict[str, str]:
    try:
        action()
        sync_point()
    except Exception as error:  # the client raises RuntimeError or JSIIError (or a subclass)
        kind = "JSIIError" if isinstance(error, jsii.errors.JSIIError) else "RuntimeError" if isinstance(error, RuntimeError) else type(error).__name__
        return {"type": kind, "message": str(error).splitlines()[0]}
    return {"type": "none", "message": ""}


# Create, methods, properties.
calc = Calculator(initial_value=10, max_value=1000, name="py")
check("create.add", calc.add(5))
calc.value = 2
check("property.value", calc.value)
calc.label = "renamed"
check("property.label", calc.summary())

# Statics: methods, constants, mutable static properties.
Statics.reset()
check("static.add", Statics.add(20, 22))
check("static.const", Statics.ANSWER)
Statics.mode = "fast"
check("static.mode", Statics.mode)
check("static.variadic", Statics.join("-", "a", "b", "c"))

# Structs, in and out.
rounded = Calculator(display=DisplayOptions(precision=1, unit="m", rounding=Rounding.UP))
check("struct.in", rounded.summary())
options = rounded.display_options
check("struct.out", [options.precision, options.unit, options.rounding.name])
check("struct.point", Geometry.length(start=Point(x=0, y=0), end=Point(x=3, y=4)))
mid = Geometry.midpoint(start=Point(x=0, y=0), end={"x": 4, "y": 2})
check("struct.returned", [mid.x, mid.y])
check("enum.next", Geometry.next_color(Color.RED).name)

# Enums.
check("enum.round", Geometry.round(2.5, Rounding.DOWN))


# A Python subclass overriding library methods and a property (callbacks).
class Bonus(Calculator):
    def bonus(self) -> jsii.Number:
        return 100

    def format(self, value: jsii.Number) -> str:
        return "<%s>" % value

    @property
    def label(self) -> str:
        return "python-label"

    @label.setter
    def label(self, value: str) -> None:
        pass


bonus = Bonus(initial_value=1)
check("override.method", bonus.total())
check("override.property_and_method", bonus.summary())


# A Python class implementing a library interface.
@jsii.implements(IOperation)
class Triple:
    @property
    def name(self) -> str:
        return "triple"

    def apply(self, x: jsii.Number) -> jsii.Number:
        return x * 3


pipeline = Pipeline().add(Triple()).add(Triple())
check("interface.run", pipeline.run(2))
check("interface.names", pipeline.names())


# Async: a library async method, and an async source implemented in Python.
@jsii.implements(IAsyncSource)
class Counter:
    def __init__(self) -> None:
        self.count = 0

    def next(self) -> jsii.Number:
        self.count += 1
        return self.count


check("async.method", Calculator(initial_value=1).add_later(2))
check("async.host_source", Calculator(initial_value=100).add_from_source(Counter(), 4))
check("async.rejects", error_of(lambda: Calculator().fail_later("late")))


# Errors raised on either side.
check("error.library", error_of(lambda: Thrower.throw_deep(3)))
check("error.library_type", error_of(lambda: Thrower.throw_type()))
check("error.limit", error_of(lambda: Calculator(max_value=1).add(5)))


@jsii.implements(IOperation)
class Failing:
    @property
    def name(self) -> str:
        return "failing"

    def apply(self, x: jsii.Number) -> jsii.Number:
        raise ValueError("raised in Python with %s" % x)


check("error.python_caught_by_library", Thrower.catch_from(Failing(), 7))
check("error.python_through_library", error_of(lambda: Thrower.apply_through(Failing(), 8)))

# Console output of the library (the test reads it from this process's stdout and stderr).
check("console.say", Statics.say("said by the library: héllo ✓"))
check("console.warn", Statics.warn("warned by the library"))

# The host stack trace (JSII_HOST_STACK_TRACES=1): the frames of this script, as the library sees them.
trace = json.loads(Statics.host_stack_trace())
check("stacktrace.frames", [[frame[1], frame[3]] for frame in trace] if trace else None)

# A 1 MiB return value, and one as long going in and out.
big = Values.repeat("ab", 512 * 1024)
check("big.return", [len(big), big == "ab" * 512 * 1024])
echoed = Values.echo_string("\u00e9" * (512 * 1024))
check("big.echo", [len(echoed), echoed == "\u00e9" * (512 * 1024)])

check("done", True)
results.close()

# The pipelining package's statistics, for the test (not a check: they differ by mode).
if os.environ.get("HOST_SCRIPT_STATS"):
    with open(os.environ["HOST_SCRIPT_STATS"], "w", encoding="utf-8") as out:
        json.dump(importlib.import_module("jsii_ring").stats(), out)
