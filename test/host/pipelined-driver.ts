/**
 * A conformance driver that pipelines every step it may, so a recorded reference
 * transcript can be replayed through `KernelClient.send` and compared as if every call had
 * been synchronous.
 *
 * What is pipelined (a top-level step only, and only when the recorded reference made no
 * callback during that step: a callback of a pipelined request arrives while the runner is
 * already at a later step, so it would be answered by the wrong step's rules):
 * - `create` with a string `fqn` and no `interfaces`, sent with an allocated `objid`. The
 *   envelope reported is the ref the kernel gives such an object, `<fqn>@hN`; the
 *   comparator pairs ids one-to-one, so `hN` stands for the reference's `10003`. (With
 *   `interfaces` the reference answers `$jsii.interfaces` reduced by what the class already
 *   declares, which the host cannot know without asking: those creates stay sync.)
 * - `del`, `set`, `sset`: envelope `{}`.
 * - `invoke`/`sinvoke` of a method the fixture's assembly declares `void` and not async:
 *   envelope `{}`.
 * Everything else (and every request a callback handler makes) is a sync request.
 *
 * Failures: a pipelined failure surfaces at the next sync point. This driver makes that sync
 * point an explicit `flush()` right before each sync step (and after the last step), so
 * the sync step's own answer is never lost behind a deferred error; each
 * `PipelinedRequestError` (and its `others`) is mapped back, by sequence number, to the
 * step that issued it, whose recorded envelope is rewritten in place into the error.
 * `afterRun` then re-checks those steps' expectations, which the runner checked against the
 * provisional `ok`.
 */
import * as path from 'node:path';
import * as spec from '@jsii/spec';
import type { KernelRequest } from '../../lib/protocol/api.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { KernelClientOptions } from '../../lib/host/options.js';
import { PipelinedRequestError } from '../../lib/host/pipeline.js';
import type { Recording } from '../conformance/recording.js';
import type { Transcript } from '../conformance/runner.js';
import { stepLabel, type ConformanceScript } from '../conformance/script.js';
import type { FixturePackage } from '../helpers/fixture.js';
import type { Envelope } from '../helpers/protocol-driver.js';
import type { ReplayDriver } from './replay.js';
import { RingDriver } from './ring-driver.js';

/** What the driver did, for the test to assert that pipelining really happened. */
export interface PipelineReport {
  /** Labels of the steps sent with `send`. */
  readonly pipelined: string[];
  /** Labels of pipelined steps whose failure was reported at a later sync point. */
  readonly failed: string[];
}

/** One pipelined step whose outcome is still provisional. */
interface Provisional {
  readonly label: string;
  readonly envelope: Record<string, unknown>;
}

/** Decides from the fixture's assembly whether a method returns nothing. */
export class VoidMethods {
  readonly #types: Record<string, spec.Type>;

  public constructor(calc: FixturePackage) {
    this.#types = spec.loadAssemblyFromFile(path.join(calc.packageDir, '.jsii'), false).types ?? {};
  }

  /** True if `fqn` (or a supertype) declares `method` synchronous and void. */
  public isVoid(fqn: string, method: string, statics: boolean): boolean {
    const found = this.#find(fqn, method, statics, new Set());
    return found !== undefined && found.returns === undefined && found.async !== true;
  }

  #find(fqn: string, name: string, statics: boolean, seen: Set<string>): spec.Method | undefined {
    const type = this.#types[fqn];
    if (type === undefined || seen.has(fqn) || (!spec.isClassType(type) && !spec.isInterfaceType(type))) {
      return undefined;
    }
    seen.add(fqn);
    const own = (type.methods ?? []).find((m) => m.name === name && (m.static === true) === statics);
    if (own !== undefined) return own;
    const supers = [...(spec.isClassType(type) && type.base !== undefined ? [type.base] : []), ...(type.interfaces ?? [])];
    for (const s of supers) {
      const found = this.#find(s, name, statics, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

class PipelinedRingDriver extends RingDriver implements ReplayDriver {
  public readonly report: PipelineReport = { pipelined: [], failed: [] };

  readonly #script: ConformanceScript;
  readonly #calledBack: Set<string>;
  readonly #voids: VoidMethods;
  readonly #provisional = new Map<number, Provisional>();
  #step = 0;
  #lastSeq = 0;

  public constructor(label: string, options: KernelClientOptions, script: ConformanceScript, recording: Recording, voids: VoidMethods) {
    super(label, { ...options, onRequest: (event) => (this.#lastSeq = event.seq) });
    this.#script = script;
    this.#voids = voids;
    this.#calledBack = new Set(recording.transcript.entries.filter((e) => e.kind === 'callback').map((e) => e.step));
  }

  /** Nested requests (from callback handlers) are always sync; a deferred failure is the driver's. */
  protected override isFatal(error: unknown): boolean {
    return super.isFatal(error) || error instanceof PipelinedRequestError;
  }

  /** A top-level step: pipelined if it may be, else a sync point. */
  public async request(req: KernelRequest): Promise<Envelope> {
    const index = this.#step++;
    const step = this.#script.steps[index];
    const label = step === undefined ? `#${index}` : stepLabel(step, index);
    const pipelined = this.client.capabilities.pipeline && !this.#calledBack.has(label) ? this.#pipelineable(req) : undefined;
    if (pipelined === undefined) {
      this.#settle();
      return this.requestSync(req);
    }
    this.client.send(pipelined.request);
    const envelope: Record<string, unknown> = { ok: pipelined.ok };
    this.#provisional.set(this.#lastSeq, { label, envelope });
    this.report.pipelined.push(label);
    return envelope as Envelope;
  }

  public afterRun(transcript: Transcript): void {
    this.#settle();
    for (const label of this.report.failed) {
      recheckExpectation(this.#script, transcript, label);
    }
  }

  public async close(): Promise<void> {
    await this.client.close();
  }

  /** The request to send and the envelope the kernel would have answered, if `req` may be pipelined. */
  #pipelineable(req: KernelRequest): { request: KernelRequest; ok: unknown } | undefined {
    const r = req as unknown as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return undefined;
    switch (r.api) {
      case 'create': {
        const interfaces = r.interfaces;
        if (typeof r.fqn !== 'string' || (Array.isArray(interfaces) && interfaces.length > 0)) return undefined;
        const objid = this.client.allocateId();
        return { request: { ...req, objid } as KernelRequest, ok: { '$jsii.byref': `${r.fqn}@${objid}` } };
      }
      case 'del':
      case 'set':
      case 'sset':
        return { request: req, ok: {} };
      case 'invoke': {
        const ref = (r.objref as Record<string, unknown> | undefined)?.['$jsii.byref'];
        const fqn = typeof ref === 'string' ? ref.slice(0, Math.max(0, ref.lastIndexOf('@'))) : '';
        return typeof r.method === 'string' && this.#voids.isVoid(fqn, r.method, false) ? { request: req, ok: {} } : undefined;
      }
      case 'sinvoke':
        return typeof r.fqn === 'string' && typeof r.method === 'string' && this.#voids.isVoid(r.fqn, r.method, true)
          ? { request: req, ok: {} } : undefined;
      default:
        return undefined;
    }
  }

  /** A sync point: waits for every pipelined step and turns the failed ones' envelopes into errors. */
  #settle(): void {
    try {
      this.client.flush();
    } catch (error) {
      if (!(error instanceof PipelinedRequestError)) throw error;
      for (const failure of [error, ...error.others]) {
        const provisional = this.#provisional.get(failure.seq);
        if (provisional === undefined) {
          throw new Error(`a pipelined failure (#${failure.seq}) matches no pipelined step: ${failure.message}`);
        }
        delete provisional.envelope.ok;
        Object.assign(provisional.envelope, {
          error: failure.message,
          name: failure.jsiiName,
          ...(failure.kernelStack !== undefined ? { stack: failure.kernelStack } : {}),
        });
        this.report.failed.push(provisional.label);
      }
    }
    this.#provisional.clear();
  }
}

/**
 * The runner checked a pipelined step's expectation against its provisional `ok`; redo it
 * against the error the step turned out to have (the runner's own rules, see runner.ts).
 */
function recheckExpectation(script: ConformanceScript, transcript: Transcript, label: string): void {
  const index = script.steps.findIndex((s, i) => stepLabel(s, i) === label);
  const step = script.steps[index];
  const response = transcript.entries.find((e) => e.kind === 'response' && e.step === label && e.depth === 0);
  if (step === undefined || response?.kind !== 'response' || !('error' in response.envelope)) {
    throw new Error(`no failed response recorded for pipelined step ${label}`);
  }
  const { error, name } = response.envelope;
  const prefix = `${label}: `;
  const failures = transcript.expectationFailures.filter((m) => !m.startsWith(prefix));
  if (step.expect !== 'error') {
    failures.push(`${prefix}expected ok, got error (${name}: ${error})`);
  } else if (step.errorName !== undefined && name !== step.errorName) {
    failures.push(`${prefix}expected error ${step.errorName}, got ${name}: ${error}`);
  }
  transcript.expectationFailures.splice(0, transcript.expectationFailures.length, ...failures);
  const failed = transcript.failedSteps.filter((l) => l !== label);
  if (failures.some((m) => m.startsWith(prefix))) failed.push(label);
  transcript.failedSteps.splice(0, transcript.failedSteps.length, ...failed);
}

/** Starts a worker kernel behind a driver that pipelines what `script` lets it (see above). */
export function startPipelinedDriver(
  label: string,
  options: KernelClientOptions,
  script: ConformanceScript,
  recording: Recording,
  voids: VoidMethods,
): ReplayDriver & { readonly client: KernelClient; readonly report: PipelineReport } {
  return new PipelinedRingDriver(label, options, script, recording, voids);
}
