/**
 * Methods, initializers and properties as the kernel uses them: the spec plus the
 * converters of their parameters, return value and property type, created once per spec
 * object and compiled on first use.
 */
import type * as spec from '@jsii/spec';
import { Converter, VOID_CONVERTER } from './converters.js';
import type { TypeInfo } from './type-info.js';

/** A method or initializer. */
export class CallableInfo {
  public readonly spec: spec.Callable;
  /** The method name (`''` for an initializer). */
  public readonly name: string;
  public readonly parameters: readonly spec.Parameter[];
  /** One converter per declared parameter. */
  public readonly paramConverters: readonly Converter[];
  /** The method is declared variadic (more arguments than parameters are allowed). */
  public readonly variadic: boolean;
  /** The last parameter is variadic (its type applies to every extra argument). */
  public readonly lastVariadic: boolean;
  public readonly isAsync: boolean;
  public readonly isStatic: boolean;
  public readonly returns: Converter;
  /** The type that declares it (`undefined` for the stand-in of an undeclared override). */
  public readonly owner: TypeInfo | undefined;

  public constructor(declared: spec.Callable, owner: TypeInfo | undefined) {
    const method = declared as Partial<spec.Method>;
    this.spec = declared;
    this.name = method.name ?? '';
    this.parameters = declared.parameters ?? [];
    this.paramConverters = this.parameters.map((p) => new Converter(p));
    this.variadic = declared.variadic === true;
    this.lastVariadic = this.parameters.length > 0 && this.parameters[this.parameters.length - 1]!.variadic === true;
    this.isAsync = method.async === true;
    this.isStatic = method.static === true;
    this.returns = method.returns !== undefined ? new Converter(method.returns) : VOID_CONVERTER;
    this.owner = owner;
  }

  /** The converter for argument `i` (the last parameter's for variadic extras), if any. */
  public converterAt(i: number): Converter | undefined {
    const declared = this.paramConverters[i];
    if (declared !== undefined) {
      return declared;
    }
    return this.lastVariadic ? this.paramConverters[this.paramConverters.length - 1] : undefined;
  }

  /** The parameter declaring argument `i` (see `converterAt`). */
  public parameterAt(i: number): spec.Parameter | undefined {
    const declared = this.parameters[i];
    if (declared !== undefined) {
      return declared;
    }
    return this.lastVariadic ? this.parameters[this.parameters.length - 1] : undefined;
  }
}

/** A property. */
export class PropertyInfo {
  public readonly spec: spec.Property;
  public readonly name: string;
  public readonly optional: boolean;
  public readonly immutable: boolean;
  public readonly isStatic: boolean;
  public readonly converter: Converter;

  public constructor(declared: spec.Property) {
    this.spec = declared;
    this.name = declared.name;
    this.optional = declared.optional === true;
    this.immutable = declared.immutable === true;
    this.isStatic = declared.static === true;
    this.converter = new Converter(declared);
  }
}
