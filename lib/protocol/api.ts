/**
 * The jsii kernel protocol, as spoken by the reference `@jsii/runtime` (1.140.0), plus the
 * jsii-ring extensions listed in DESIGN.md. Every request and response shape lives here;
 * everything else imports from this file.
 *
 * Wire values (`$jsii.*` tokens) are plain JSON objects; the codec never changes them.
 */

// ---------------------------------------------------------------------------------------
// Wire value tokens
// ---------------------------------------------------------------------------------------

export const TOKEN_REF = '$jsii.byref';
export const TOKEN_INTERFACES = '$jsii.interfaces';
export const TOKEN_DATE = '$jsii.date';
export const TOKEN_ENUM = '$jsii.enum';
export const TOKEN_MAP = '$jsii.map';
export const TOKEN_STRUCT = '$jsii.struct';

/** A reference to a kernel object: `{"$jsii.byref": "fqn@id"}`. */
export interface ObjRef {
  readonly [TOKEN_REF]: string;
  /** Interfaces the object implements that its class does not declare (the reference's rules). */
  readonly [TOKEN_INTERFACES]?: readonly string[];
}
export interface WireDate {
  readonly [TOKEN_DATE]: string;
}
export interface WireEnum {
  /** `fqn/MEMBER` */
  readonly [TOKEN_ENUM]: string;
}
export interface WireMap {
  readonly [TOKEN_MAP]: { readonly [key: string]: unknown };
}
export interface WireStruct {
  readonly [TOKEN_STRUCT]: { readonly fqn: string; readonly data: { readonly [key: string]: unknown } };
}

export function isObjRef(value: unknown): value is ObjRef {
  return typeof value === 'object' && value !== null && TOKEN_REF in value;
}
export function isWireDate(value: unknown): value is WireDate {
  return typeof value === 'object' && value !== null && TOKEN_DATE in value;
}
export function isWireEnum(value: unknown): value is WireEnum {
  return typeof value === 'object' && value !== null && TOKEN_ENUM in value;
}
export function isWireMap(value: unknown): value is WireMap {
  return typeof value === 'object' && value !== null && TOKEN_MAP in value;
}
export function isWireStruct(value: unknown): value is WireStruct {
  return typeof value === 'object' && value !== null && TOKEN_STRUCT in value;
}

// ---------------------------------------------------------------------------------------
// Extensions (negotiated in the hello exchange; see DESIGN.md "Protocol")
// ---------------------------------------------------------------------------------------

/**
 * Client-allocated object ids live in their own namespace, `fqn@h<digits>` style ids are
 * never minted by the kernel. The kernel mints `<fqn>@<n>` with n >= 10000 (as the
 * reference); the host mints ids whose numeric part carries this prefix.
 */
export const HOST_ID_PREFIX = 'h';

/** Extension names a kernel may advertise and a host may ask for. */
export const EXT_OBJID = 'objid';
export const EXT_PIPELINE = 'pipeline';
export const EXT_LOAD_PATH = 'load-path';
export const EXT_ALIAS_NOTICES = 'alias-notices';
/**
 * Values as a JavaScript host wrote them: a struct keeps its undeclared keys (in the order
 * sent), and by-value data is taken where a class or interface is declared, as a
 * JavaScript library called natively would see it. For Node hosts running unchanged apps.
 */
export const EXT_JS_VALUES = 'js-values';
/**
 * `{ api: 'beforeExit' }` runs what the libraries registered for their process's
 * `beforeExit` (the CDK synthesizes an App there when `CDK_OUTDIR` is set), in the kernel's
 * own thread, which never exits on its own while a host is connected.
 */
export const EXT_BEFORE_EXIT = 'before-exit';
export const PROTOCOL_VERSION = 1;

/**
 * The extensions our kernel worker's ring server offers in its welcome. A host that
 * started that worker itself (same build) chooses from these without waiting for the
 * welcome, and checks the welcome when it reads it (KernelClient, `expectWelcome`).
 */
export const RING_SERVER_EXTENSIONS: readonly string[] = [EXT_OBJID, EXT_PIPELINE, EXT_LOAD_PATH, EXT_ALIAS_NOTICES, EXT_JS_VALUES, EXT_BEFORE_EXIT];

/** Fields any request may carry when the extensions are enabled. */
export interface ExtensionFields {
  /**
   * Client-allocated id for the object this request produces (`create`, `invoke`,
   * `sinvoke`, `get`, `sget`). On `invoke`/`get` it becomes an alias of whatever object
   * the call returned, fresh or pre-existing. Must be in the host namespace and unused.
   */
  readonly objid?: string;
}

// ---------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------

export interface HelloResponse {
  readonly hello: string;
  /** jsii-ring kernels add their capabilities; the reference runtime sends only `hello`. */
  readonly capabilities?: Capabilities;
}
export interface Capabilities {
  readonly protocol: number;
  readonly codecs: readonly string[];
  readonly extensions: readonly string[];
  /**
   * The server's own name and version (`jsii-ring@0.1.0`), sent by the stdio server, whose
   * `hello` must name the `@jsii/runtime` version the official hosts check.
   */
  readonly server?: string;
}

export interface LoadRequest {
  readonly api: 'load';
  readonly name: string;
  readonly version: string;
  /** Path to an npm tarball (reference behaviour). */
  readonly tarball?: string;
  /** Extension `load-path`: a directory that already holds the installed package. */
  readonly path?: string;
}
export interface LoadResponse {
  readonly assembly: string;
  readonly types: number;
}

export type Override = MethodOverride | PropertyOverride;
export interface MethodOverride {
  readonly method: string;
  readonly cookie?: string;
}
export interface PropertyOverride {
  readonly property: string;
  readonly cookie?: string;
}
export function isMethodOverride(value: Override): value is MethodOverride {
  return (value as MethodOverride).method != null;
}
export function isPropertyOverride(value: Override): value is PropertyOverride {
  return (value as PropertyOverride).property != null;
}

export interface CreateRequest extends ExtensionFields {
  readonly api: 'create';
  /** The class to instantiate, or `"Object"` for a plain object implementing `interfaces`. */
  readonly fqn: string;
  readonly args?: readonly unknown[];
  readonly overrides?: readonly Override[];
  readonly interfaces?: readonly string[];
}
export type CreateResponse = ObjRef;

export interface DelRequest {
  readonly api: 'del';
  readonly objref: ObjRef;
}
export type DelResponse = Record<string, never>;

export interface GetRequest extends ExtensionFields {
  readonly api: 'get';
  readonly objref: ObjRef;
  readonly property: string;
}
export interface StaticGetRequest extends ExtensionFields {
  readonly api: 'sget';
  readonly fqn: string;
  readonly property: string;
}
export interface GetResponse {
  readonly value?: unknown;
}

export interface SetRequest {
  readonly api: 'set';
  readonly objref: ObjRef;
  readonly property: string;
  readonly value: unknown;
}
export interface StaticSetRequest {
  readonly api: 'sset';
  readonly fqn: string;
  readonly property: string;
  readonly value: unknown;
}
export type SetResponse = Record<string, never>;

export interface InvokeRequest extends ExtensionFields {
  readonly api: 'invoke';
  readonly objref: ObjRef;
  readonly method: string;
  readonly args?: readonly unknown[];
}
export interface StaticInvokeRequest extends ExtensionFields {
  readonly api: 'sinvoke';
  readonly fqn: string;
  readonly method: string;
  readonly args?: readonly unknown[];
}
export interface InvokeResponse {
  readonly result?: unknown;
}

export interface BeginRequest {
  readonly api: 'begin';
  readonly objref: ObjRef;
  readonly method: string;
  readonly args?: readonly unknown[];
}
export interface BeginResponse {
  readonly promiseid: string;
}
export interface EndRequest {
  readonly api: 'end';
  readonly promiseid: string;
}
export interface EndResponse {
  readonly result?: unknown;
}

/** A call from the kernel into a host override. Exactly one of invoke/get/set is set. */
export interface Callback {
  readonly cbid: string;
  readonly cookie?: string;
  readonly invoke?: { readonly objref: ObjRef; readonly method: string; readonly args?: readonly unknown[] };
  readonly get?: { readonly objref: ObjRef; readonly property: string };
  readonly set?: { readonly objref: ObjRef; readonly property: string; readonly value: unknown };
}
export interface CallbacksRequest {
  readonly api: 'callbacks';
}
export interface CallbacksResponse {
  readonly callbacks: readonly Callback[];
}
export interface CompleteRequest {
  readonly api: 'complete';
  readonly cbid: string;
  /** Error message when the host override failed. */
  readonly err?: string;
  /** Error name (`@jsii/kernel.Fault` / `@jsii/kernel.RuntimeError`) when it failed. */
  readonly name?: string;
  readonly result?: unknown;
}
export interface CompleteResponse {
  readonly cbid: string;
}

export interface NamingRequest {
  readonly api: 'naming';
  readonly assembly: string;
}
export interface NamingResponse {
  readonly naming: { readonly [language: string]: { readonly [key: string]: unknown } | undefined };
}

export interface StatsRequest {
  readonly api: 'stats';
}
export interface StatsResponse {
  readonly objectCount: number;
}

/** Extension `before-exit`: the kernel thread's `beforeExit` handlers run now. */
export interface BeforeExitRequest {
  readonly api: 'beforeExit';
}
export interface BeforeExitResponse {
  /** Whether this kernel has a thread of its own whose handlers ran (false: nothing to run). */
  readonly emitted: boolean;
}

export type KernelRequest =
  | LoadRequest
  | CreateRequest
  | DelRequest
  | GetRequest
  | StaticGetRequest
  | SetRequest
  | StaticSetRequest
  | InvokeRequest
  | StaticInvokeRequest
  | BeginRequest
  | EndRequest
  | CallbacksRequest
  | CompleteRequest
  | NamingRequest
  | StatsRequest
  | BeforeExitRequest;

export type KernelApi = KernelRequest['api'];

/** Maps each api name to its request and response shape. */
export interface ApiMap {
  load: [LoadRequest, LoadResponse];
  create: [CreateRequest, CreateResponse];
  del: [DelRequest, DelResponse];
  get: [GetRequest, GetResponse];
  sget: [StaticGetRequest, GetResponse];
  set: [SetRequest, SetResponse];
  sset: [StaticSetRequest, SetResponse];
  invoke: [InvokeRequest, InvokeResponse];
  sinvoke: [StaticInvokeRequest, InvokeResponse];
  begin: [BeginRequest, BeginResponse];
  end: [EndRequest, EndResponse];
  callbacks: [CallbacksRequest, CallbacksResponse];
  complete: [CompleteRequest, CompleteResponse];
  naming: [NamingRequest, NamingResponse];
  stats: [StatsRequest, StatsResponse];
  beforeExit: [BeforeExitRequest, BeforeExitResponse];
}
export type RequestOf<A extends KernelApi> = ApiMap[A][0];
export type ResponseOf<A extends KernelApi> = ApiMap[A][1];

export const KERNEL_APIS: readonly KernelApi[] = [
  'load', 'create', 'del', 'get', 'sget', 'set', 'sset', 'invoke', 'sinvoke',
  'begin', 'end', 'callbacks', 'complete', 'naming', 'stats', 'beforeExit',
];

// ---------------------------------------------------------------------------------------
// Error names that survive the wire
// ---------------------------------------------------------------------------------------

/** A problem with the request itself (bad type name, bad argument, unknown object). */
export const FAULT_NAME = '@jsii/kernel.Fault';
/** The library code threw while serving a valid request. */
export const RUNTIME_ERROR_NAME = '@jsii/kernel.RuntimeError';
/**
 * The name an error carries on the wire: one of the two above almost always, but the
 * reference also sends `@jsii/kernel.SerializationError` and, for a throwing constructor,
 * the library error's own name, and we keep whatever the kernel said.
 */
export type WireErrorName = typeof FAULT_NAME | typeof RUNTIME_ERROR_NAME | (string & {});

/** Stdio wire envelopes (one JSON object per line), as the reference runtime writes them. */
export interface OkEnvelope<T = unknown> {
  readonly ok: T;
}
export interface ErrorEnvelope {
  readonly error: string;
  readonly name?: WireErrorName;
  readonly stack?: string;
}
export interface CallbackEnvelope {
  readonly callback: Callback;
}
export interface CompleteEnvelope {
  readonly complete: Omit<CompleteRequest, 'api'>;
}
