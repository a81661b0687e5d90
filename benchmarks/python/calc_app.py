"""A small Python app on the calc test fixture's bindings, run by the benchmark harness in
tests (the Python CDK bindings take minutes to generate; these take seconds).

Usage: python calc_app.py --outdir DIR --report FILE [--count N]

Per step: objects created in Python, a Python subclass whose overrides the library calls
back, a Python-implemented interface added to a library pipeline, static calls returning
references, void calls, property writes, and values read back. The output
(DIR/results.json) is what the program observed; it must be the same on every runtime.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_report  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--outdir", required=True)
parser.add_argument("--report", required=True)
parser.add_argument("--count", type=int, default=50)
options = parser.parse_args()

import jsii  # noqa: E402

bench_report.phase("import")
bench_report.start_runtime()
bench_report.phase("start")

from jsii_ring.calc import Calculator, IOperation, Literal, Pipeline, ShapeFactory, Statics  # noqa: E402

bench_report.phase("load")


class Bonus(Calculator):
    def bonus(self) -> jsii.Number:
        return 7

    def format(self, value: jsii.Number) -> str:
        return "[%s]" % value


@jsii.implements(IOperation)
class AddOne:
    @property
    def name(self) -> str:
        return "add-one"

    def apply(self, x: jsii.Number) -> jsii.Number:
        return x + 1


observed = []
pipeline = Pipeline()
total = Calculator(initial_value=0, name="total")
for i in range(options.count):
    calc = Bonus(initial_value=i, name="c%d" % i)
    calc.label = "step-%d" % i
    literal = Literal(i)
    calc.store(literal)
    square = ShapeFactory.square(i + 1)
    Statics.mode = "m%d" % (i % 3)
    pipeline.add(AddOne())
    total.add(calc.total())
    if i % 10 == 9:
        observed.append([calc.summary(), ShapeFactory.area_of(square), calc.recall(), Statics.mode, pipeline.run(i)])
bench_report.flush()
bench_report.phase("build")

result = {"observed": observed, "total": total.value, "names": pipeline.names()[:3], "count": len(pipeline.names())}
os.makedirs(options.outdir, exist_ok=True)
with open(os.path.join(options.outdir, "results.json"), "w", encoding="utf-8") as out:
    json.dump(result, out, sort_keys=True)
bench_report.phase("synth")
bench_report.write(options.report, count=options.count)
