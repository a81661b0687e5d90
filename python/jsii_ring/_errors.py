"""Errors of pipelined calls, raised at the next sync point."""
from jsii.errors import ErrorType, JavaScriptError, JSIIError


class PipeliningError(Exception):
    """Misuse of the package or a broken session (code `ERR_PIPELINE`)."""

    code = "ERR_PIPELINE"


class PipelinedCallError(Exception):
    """A call the program made without waiting failed.

    Raised at the next sync point (a call whose result the program reads, `flush()`, the
    end of a callback, or the end of the program). The first line of the message is the
    kernel's message, as the call would have raised it; then the call (`request`, e.g.
    `invoke aws-cdk-lib.aws_s3.Bucket.grantRead`, and its sequence number `seq`) and the
    Python frames that made it (`call_site`: (file, line, function), innermost first).
    Failures of calls made later, before the sync point, are in `others`; the kernel's
    stack is the `__cause__` (a JavaScriptError), as for a synchronous call.
    Code: `ERR_DEFERRED_FAILURE`.
    """

    code = "ERR_DEFERRED_FAILURE"

    def __init__(self, message, name, request, seq, call_site):
        self.kernel_message = message
        self.kernel_error_name = name
        self.request = request
        self.seq = seq
        self.call_site = list(call_site)
        self.others = []
        lines = [message, "  (pipelined call #%d: %s, failed after the program went on)" % (seq, request)]
        for file, line, function in self.call_site:
            lines.append('  issued at File "%s", line %d, in %s' % (file, line, function))
        super().__init__("\n".join(lines))


class PipelinedRuntimeError(PipelinedCallError, RuntimeError):
    """A pipelined call failed in library code (where a synchronous call raises RuntimeError)."""


class PipelinedFault(PipelinedCallError, JSIIError):
    """A pipelined call was refused by the kernel (where a synchronous call raises JSIIError)."""


def deferred_error(answer, request, seq, call_site):
    """The exception for a failure answer `{"error", "name", "stack", "seq"}`."""
    name = answer.get("name")
    kind = PipelinedFault if name == ErrorType.JSII_FAULT.value else PipelinedRuntimeError
    error = kind(answer.get("error", ""), name, request, seq, call_site)
    error.__cause__ = JavaScriptError(answer.get("stack") or "")
    error.__suppress_context__ = True
    return error
