"""A synchronous host with blocking pipes that pipelines over stdio by the window rule.

Usage: python3 pipeline-host.py <runtime script> <tarball> <count>
Writes `count` no-reply requests (every third one fails), making a sync request whenever
the next line would take the bytes written since the last answer past the window, and
prints one JSON summary line: failures seen (their seq numbers) and the final value.
"""
import json
import subprocess
import sys

script, tarball, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
proc = subprocess.Popen(["node", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def write(message):
    proc.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
    proc.stdin.flush()


def read():
    return json.loads(proc.stdout.readline())


failures = []


def sync(message):
    """Writes a request and reads up to its answer, collecting seq-tagged failures."""
    write(message)
    while True:
        line = read()
        if "seq" in line and line["seq"] == message["$jsii.seq"]:
            return line
        assert "error" in line and "seq" in line, line
        failures.append(line["seq"])


assert read()["hello"].startswith("@jsii/runtime@")
write({"negotiate": {"extensions": ["objid", "pipeline"]}})
window = read()["ok"]["window"]
seq = 1
write({"api": "load", "name": "@jsii-ring/calc", "version": "1.0.0", "tarball": tarball, "$jsii.seq": seq})
assert read()["seq"] == seq
seq += 1
sync({"api": "create", "fqn": "@jsii-ring/calc.Calculator", "args": [], "objid": "h1", "$jsii.seq": seq})
CALC = {"$jsii.byref": "@jsii-ring/calc.Calculator@h1"}


def add_line(number, arg):
    return json.dumps({"api": "invoke", "objref": CALC, "method": "add", "args": [arg], "$jsii.seq": number, "$jsii.noreply": True}) + "\n"


since_answer = 0
for i in range(count):
    # Every third request fails: a string where a number is expected (a long error each time).
    arg = "x" if i % 3 == 0 else 1
    line = add_line(seq + 1, arg)
    if since_answer + len(line) > window:
        seq += 1
        sync({"api": "stats", "$jsii.seq": seq})
        since_answer = 0
        line = add_line(seq + 1, arg)
    seq += 1
    proc.stdin.write(line.encode("utf-8"))
    proc.stdin.flush()
    since_answer += len(line)
seq += 1
value = sync({"api": "get", "objref": CALC, "property": "value", "$jsii.seq": seq})
proc.stdin.close()
proc.wait(timeout=30)
print(json.dumps({"failures": len(failures), "value": value["ok"]["value"], "exit": proc.returncode}))
