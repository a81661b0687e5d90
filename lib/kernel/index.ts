/** The jsii kernel: pure protocol logic, no transport. */
export { Kernel } from './kernel.js';
export type { AliasNotice, KernelOptions } from './kernel.js';
