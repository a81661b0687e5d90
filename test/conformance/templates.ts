/**
 * Template substitution and path lookup for conformance scripts (see `script.ts`).
 */

/** Named values available to templates. */
export type Captures = Map<string, unknown>;

const WHOLE = /^\$\{([^}]+)\}$/;
const PART = /\$\{([^}]+)\}/g;

/** Marks a placeholder whose capture is missing, so the request still goes out and fails visibly. */
export function missingMarker(reference: string): string {
  return `<missing capture ${reference}>`;
}

/** Replaces every placeholder in `template` (deeply) by its captured value. */
export function substitute(template: unknown, captures: Captures): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole !== null) {
      return resolveReference(whole[1] as string, captures);
    }
    return template.replace(PART, (_, reference: string) => {
      const value = resolveReference(reference, captures);
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
  if (Array.isArray(template)) {
    return template.map((item) => substitute(item, captures));
  }
  if (typeof template === 'object' && template !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      // defineProperty: a `__proto__` key in a template must stay a plain own key.
      Object.defineProperty(out, key, { value: substitute(value, captures), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return template;
}

function resolveReference(reference: string, captures: Captures): unknown {
  const [name, ...path] = reference.split('/');
  if (name === undefined || !captures.has(name)) {
    return missingMarker(reference);
  }
  const found = lookup(captures.get(name), path);
  return found.found ? found.value : missingMarker(reference);
}

/** Follows a `/`-separated path (`''` is the value itself). */
export function lookupPath(value: unknown, path: string): { found: boolean; value?: unknown } {
  return lookup(value, path === '' ? [] : path.split('/'));
}

function lookup(value: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, key)) {
      return { found: false };
    }
    current = (current as Record<string, unknown>)[key];
  }
  return { found: true, value: current };
}
