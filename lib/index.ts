/**
 * jsii-ring: an embedded jsii kernel for Node.js. The kernel runs in a worker thread; the
 * host talks to it through shared-memory rings and pipelines every call whose result it
 * does not read.
 *
 * Most programs need only `load()`: `const cdk = load('aws-cdk-lib')`.
 */
import { setDefaultConnectionFactory } from './bindings/session.js';
import { KernelClient } from './host/kernel-client.js';

export {
  flush, load, loadAsync, sameObject, setDefaultConnection, setDefaultConnectionFactory, getDefaultConnection,
  setDefaultNative, isDefaultNative, JsiiObject, JsiiEnumValue,
} from './bindings/index.js';
export type { LoadOptions, ConnectionFactory } from './bindings/index.js';
export { KernelClient } from './host/kernel-client.js';
export type { KernelWelcome } from './host/kernel-client.js';
export { KernelPool } from './host/kernel-pool.js';
export type { KernelPoolOptions } from './host/kernel-pool.js';
export { DirectConnection } from './host/direct-connection.js';
export type { DirectConnectionOptions } from './host/direct-connection.js';
export { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_PENDING_CAP, DEFAULT_SPIN } from './host/options.js';
export { applyJitPolicy, KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from './host/jit-policy.js';
export { enableCompileCache, type CompileCacheState } from './host/compile-cache.js';
export type { JitPolicy } from './host/jit-policy.js';
export type { KernelClientOptions, RequestEvent, TransportName } from './host/options.js';
export type { KernelConnection, ConnectionCapabilities } from './host/connection.js';
export { PipelinedRequestError } from './host/pipeline.js';
export { KernelLostError } from './host/kernel-lost.js';
export type { LostRequest, WorkerEnd } from './host/kernel-lost.js';
export { HOST_TIMELINE_FIELDS, KERNEL_TIMELINE_FIELDS, summarizeTimeline } from './transports/timeline.js';
export type { Timeline, TimelineSummary } from './transports/timeline.js';
export type { KernelHeap } from './transports/heap-probe.js';
export { Kernel } from './kernel/kernel.js';
export { ErrorCode, JsiiFault, JsiiRingError, JsiiRuntimeError } from './errors.js';
export { compareCloudAssemblies, summarizeCloudAssembly } from './cloud-assembly.js';

// Without other instructions, `load()` starts one kernel worker with the default options
// the first time it is needed.
setDefaultConnectionFactory(() => KernelClient.start());
