/**
 * Conformance scripts are data: a sequence of requests with what each should produce, how to
 * answer the callbacks it triggers, and which values to capture for later steps. Being data,
 * the same script runs on a driver whose kernel calls back asynchronously (the reference
 * runtime over stdio) and on one that calls back synchronously (our kernel in-process).
 *
 * Templates: any string of the form `${name}` or `${name/path/inside}` is replaced by a
 * captured value (the whole value, of any type, when the string is only the placeholder;
 * its JSON text or string value when the placeholder is part of a longer string). Paths are
 * `/`-separated keys or array indices (so `$jsii.byref` stays one key).
 *
 * Predefined captures: `calc` = `{ name, version, tarball }` of the fixture library.
 * Inside a callback: `$cb` (the callback), `$args` (its `invoke.args`), `$value` (the
 * `set.value`), `$objref`, and `$n0`, `$n1`, ... (ok payloads of the nested requests made
 * so far by this answer).
 */

/** Which callbacks a rule answers (every given field must match). */
export interface CallbackMatch {
  readonly kind?: 'invoke' | 'get' | 'set';
  /** Method name (invoke) or property name (get/set). */
  readonly member?: string;
  readonly cookie?: string;
}

/** One way to answer a callback. */
export type CallbackAction =
  /** Complete with this result (a template). */
  | { readonly return: unknown }
  /** Complete with an error. */
  | { readonly throw: string; readonly name?: string }
  /**
   * Make these requests (templates, in order) while the callback is open, then complete with
   * `return` (a template that may use `$n0`...). A nested request that fails completes the
   * callback with that error, unless `ignoreErrors`.
   */
  | { readonly nested: readonly unknown[]; readonly return?: unknown; readonly ignoreErrors?: boolean };

/** Answers the callbacks that match, with `answers` in order (the last one repeats). */
export interface CallbackRule {
  readonly match?: CallbackMatch;
  readonly answers: readonly CallbackAction[];
}

/** One request of a script. */
export interface Step {
  /** Names the step in reports, captures and `differences`. @default `#<index>` */
  readonly label?: string;
  /** The request (a template); deliberately malformed requests are allowed. */
  readonly request: unknown;
  /** What the reference answers (checked on every driver; a mismatch is reported). */
  readonly expect: 'ok' | 'error';
  /** For `expect: 'error'`: the error name. */
  readonly errorName?: string;
  /** For `expect: 'ok'`: the exact payload (only for payloads without ids). */
  readonly expectOk?: unknown;
  /** Values to keep from the ok payload: capture name → path (`''` for the whole payload). */
  readonly capture?: Readonly<Record<string, string>>;
  /** How to answer the callbacks this request triggers (first matching rule wins). */
  readonly callbacks?: readonly CallbackRule[];
  /**
   * Frames our kernel's error stack must mention (the library's own frames). Checked on our
   * kernel only: the reference loses them (see COMPATIBILITY.md of the kernel).
   */
  readonly oursStackMentions?: readonly string[];
  /**
   * The reference runtime dies on this request (the reason says how). A driver failure at
   * this step is then expected, and this step and every later one are deliberate
   * differences: our kernel must answer with an error and keep serving.
   */
  readonly referenceCrashes?: string;
}

/** A difference between ours and the reference that is deliberate. */
export interface DeliberateDifference {
  /** Step label where transcripts may differ. */
  readonly step: string;
  /** Why (and where it is documented). */
  readonly reason: string;
}

/** A conformance script. */
export interface ConformanceScript {
  /** Unique kebab-case name; also the recording's file name. */
  readonly name: string;
  /** What the script covers. */
  readonly description: string;
  readonly steps: readonly Step[];
  readonly differences?: readonly DeliberateDifference[];
}

/** The label of step `index` of a script. */
export function stepLabel(step: Step, index: number): string {
  return step.label ?? `#${index}`;
}
