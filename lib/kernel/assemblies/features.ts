/**
 * The jsii assembly features (`usedFeatures`) this kernel understands. An assembly that
 * uses any other feature is refused at load, as the reference kernel does, rather than
 * misbehaving later on a construct we do not know.
 */
import type * as spec from '@jsii/spec';

/** Same list as the reference kernel (`@jsii/kernel` `ASSEMBLY_SUPPORTED_FEATURES`). */
export const SUPPORTED_FEATURES: readonly spec.JsiiFeature[] = ['intersection-types', 'class-covariant-overrides'];

/**
 * Returns a message naming the unsupported features `usedFeatures` lists, or `undefined`
 * if all are supported (or the field is absent).
 */
export function unsupportedFeatures(usedFeatures: unknown): string | undefined {
  if (usedFeatures === undefined) {
    return undefined;
  }
  if (!Array.isArray(usedFeatures)) {
    return `'usedFeatures' must be an array, got ${JSON.stringify(usedFeatures)}`;
  }
  const unsupported = usedFeatures.filter((f) => !(SUPPORTED_FEATURES as readonly unknown[]).includes(f));
  if (unsupported.length === 0) {
    return undefined;
  }
  return (
    `this jsii kernel cannot load the assembly; it uses unsupported feature(s): ${unsupported.map(String).join(', ')} ` +
    `(supported features: ${SUPPORTED_FEATURES.join(', ')})`
  );
}
