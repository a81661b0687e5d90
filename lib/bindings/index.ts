/**
 * Run-time bindings: TypeScript-facing proxies built from `.jsii` assemblies on top of a
 * `KernelConnection`.
 */
export { flush, load, loadAsync } from './load.js';
export type { LoadOptions } from './load.js';
export { getDefaultConnection, isDefaultNative, setDefaultConnection, setDefaultConnectionFactory, setDefaultNative } from './session.js';
export type { ConnectionFactory } from './session.js';
export { sameObject } from './object-table.js';
export { JsiiObject, isBindingClass, BINDING_FQN } from './class-binding.js';
export type { BindingClass } from './class-binding.js';
export { JsiiEnumValue } from './enum-binding.js';
export type { EnumBinding } from './enum-binding.js';
export { HOST_STACK_MARKER } from './host-stack.js';
export { BindingRuntime } from './runtime.js';
export { resultKind, isHandleType } from './decide.js';
export type { ResultKind } from './decide.js';
export { TypeSystem } from './type-system.js';
