/**
 * An aspect implemented by the host program. Run through a jsii kernel, every `visit` is a
 * callback from the kernel into the host, and every call `visit` makes (`node.node.path`,
 * `isCfnResource`, `cfnResourceType`, `addPropertyOverride`, ...) is a nested kernel call
 * made while the kernel is blocked inside `synth()`.
 */
import type { AppLibraries, Cdk, Constructs } from './libraries.js';

/** What the aspect saw; read by the app after `synth()`. */
export interface AuditReport {
  /** Distinct construct paths visited. */
  readonly constructs: number;
  /** CloudFormation resources visited, by resource type, types sorted. */
  readonly resourcesByType: ReadonlyMap<string, number>;
  /** Total CloudFormation resources visited. */
  readonly resources: number;
}

/**
 * Counts constructs and resources, records each Lambda function's construct path in its
 * environment, and marks queues with audit metadata.
 */
export class AuditAspect implements Cdk.IAspect {
  readonly #cdk: AppLibraries['cdk'];
  // Paths, not nodes: an aspect may be invoked again on a node (aspect stabilization), and
  // proxies of one kernel object need not be `===` across callbacks.
  readonly #visited = new Set<string>();
  readonly #resourcePaths = new Set<string>();
  readonly #byType = new Map<string, number>();

  public constructor(libs: AppLibraries) {
    this.#cdk = libs.cdk;
  }

  public visit(node: Constructs.IConstruct): void {
    const path = node.node.path;
    if (this.#visited.has(path)) return;
    this.#visited.add(path);
    if (!this.#cdk.CfnResource.isCfnResource(node)) return;

    const resource = node as Cdk.CfnResource;
    const type = resource.cfnResourceType;
    this.#resourcePaths.add(path);
    this.#byType.set(type, (this.#byType.get(type) ?? 0) + 1);
    if (type === 'AWS::Lambda::Function') {
      resource.addPropertyOverride('Environment.Variables.CONSTRUCT_PATH', path);
    } else if (type === 'AWS::SQS::Queue') {
      resource.addMetadata('Audit', { auditedBy: 'AuditAspect', depth: path.split('/').length });
    }
  }

  /** Resources visited so far (final once `synth()` has run the aspects). */
  public get resourceCount(): number {
    return this.#resourcePaths.size;
  }

  /** A snapshot of what the aspect has seen. */
  public report(): AuditReport {
    const resourcesByType = new Map([...this.#byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { constructs: this.#visited.size, resourcesByType, resources: this.#resourcePaths.size };
  }
}
