/** Every protocol driver, from one import. */
export * from './protocol-driver.js';
export { startReferenceRuntime, type ReferenceRuntimeOptions } from './reference-runtime.js';
export { startOurKernel, type OurKernelOptions } from './our-kernel.js';
