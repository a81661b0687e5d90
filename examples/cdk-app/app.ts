/**
 * The example CDK app: several stacks of queue-driven services (about 2,200 CloudFormation
 * resources at scale 1), written against injected libraries so the same code runs natively
 * on `aws-cdk-lib` and through a jsii kernel.
 *
 * Determinism: templates are byte-identical between runs and between native and kernel runs.
 * Nothing in them depends on time, randomness, the library version (analytics reporting is
 * off) or the file system (no assets: functions use inline code).
 */
import { AuditAspect } from './aspect.js';
import type { AppLibraries, Cdk } from './libraries.js';
import { RESOURCES_PER_UNIT } from './service-unit.js';
import {
  defineStacks,
  MONITORING_STACK_RESOURCES,
  SERVICE_STACK_EXTRA_RESOURCES,
  SHARED_STACK_RESOURCES,
  type ServiceStack,
  type SharedStack,
} from './stacks.js';

export type { AppLibraries } from './libraries.js';
export { AuditAspect, type AuditReport } from './aspect.js';

/** Service units at scale 1 (12 resources each). */
export const FULL_SCALE_UNITS = 182;
/** Service stacks at full scale; fewer when there are fewer units. */
export const SERVICE_STACKS = 5;
/** Queues per service stack shown on the monitoring dashboard. */
export const DASHBOARD_QUEUES_PER_SERVICE = 3;

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** Where `app.synth()` writes the cloud assembly. @default the App's default (`$CDK_OUTDIR` or a temp dir) */
  readonly outdir?: string;
  /**
   * Multiplies the number of service units: 1 gives about 2,200 resources, 0.02 a few dozen.
   * At least two units (and two service stacks) are always built. @default 1
   */
  readonly scale?: number;
}

/** The built app, before `synth()`. */
export interface AppHandle {
  readonly app: Cdk.App;
  readonly stacks: readonly Cdk.Stack[];
  /** The host-implemented aspect; its report is complete after `app.synth()`. */
  readonly aspect: AuditAspect;
  /** Service units built. */
  readonly units: number;
  /** CloudFormation resources the templates will hold (bootstrap parameters/rules excluded). */
  readonly expectedResources: number;
}

/** Units at a given scale. */
export function unitsForScale(scale: number): number {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new RangeError(`options.scale must be a positive number, got ${String(scale)}`);
  }
  return Math.max(2, Math.round(FULL_SCALE_UNITS * scale));
}

/** Builds the example app on the given libraries; the caller then calls `handle.app.synth()`. */
export function buildApp(libs: AppLibraries, options: BuildAppOptions = {}): AppHandle {
  const { cdk } = libs;
  const units = unitsForScale(options.scale ?? 1);
  const serviceStacks = Math.min(SERVICE_STACKS, units);
  const { SharedStack, ServiceStack, MonitoringStack } = defineStacks(libs);

  const app = new cdk.App({
    ...(options.outdir !== undefined ? { outdir: options.outdir } : {}),
    // Version reporting would add a CDKMetadata resource naming the library version.
    analyticsReporting: false,
  });
  cdk.Tags.of(app).add('project', 'jsii-ring-example');
  cdk.Tags.of(app).add('cost-center', 'research');

  const stackProps = { description: 'jsii-ring example app', terminationProtection: false };
  const shared: SharedStack = new SharedStack(app, 'Shared', { ...stackProps, configValue: 'mode=example;retries=3' });
  const services: ServiceStack[] = [];
  let firstUnit = 0;
  for (let s = 0; s < serviceStacks; s++) {
    // Spread units evenly: the first `units % serviceStacks` stacks get one more.
    const count = Math.floor(units / serviceStacks) + (s < units % serviceStacks ? 1 : 0);
    services.push(
      new ServiceStack(app, `Services${s + 1}`, { ...stackProps, shared: shared.shared, firstUnit, units: count }),
    );
    firstUnit += count;
  }
  const monitoring = new MonitoringStack(app, 'Monitoring', {
    ...stackProps,
    services,
    queuesPerService: DASHBOARD_QUEUES_PER_SERVICE,
  });

  const aspect = new AuditAspect(libs);
  cdk.Aspects.of(app).add(aspect);
  // Resolved during synth, after the aspects ran: a host-implemented producer called back
  // from inside token resolution.
  new cdk.CfnOutput(shared, 'AuditedResources', {
    value: cdk.Lazy.string({ produce: () => String(aspect.resourceCount) }),
    description: 'CloudFormation resources the audit aspect visited',
  });

  const expectedResources =
    SHARED_STACK_RESOURCES +
    units * RESOURCES_PER_UNIT +
    serviceStacks * SERVICE_STACK_EXTRA_RESOURCES +
    MONITORING_STACK_RESOURCES;
  return { app, stacks: [shared, ...services, monitoring], aspect, units, expectedResources };
}
