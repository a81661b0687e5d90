/** The jsii kernel: pure protocol logic, no transport. */
export { Kernel } from './kernel.js';
export type { AliasNotice, KernelOptions } from './kernel.js';
export { SETTLE_AFTER } from './async-requests.js';
export { SERIALIZATION_ERROR_NAME, DependencyFault, PassThroughError } from './kernel-errors.js';
