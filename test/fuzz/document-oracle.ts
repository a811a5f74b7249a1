import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { JsonSchema, Operation, OperationParameter } from './openapi-operations';

/** A query or path value as its numeric type when it reads as a plain decimal number, as the API's coercion would. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * What the committed document says about a request: a request it calls invalid must be refused
 * with a 4xx (a stronger check than "no 5xx"). Formats are not checked (the API may refuse more
 * than the document's schema says, never less). Text fields are trimmed before their lengths are
 * checked (zod's `.trim()`), which the document cannot express: a value valid once trimmed counts
 * as valid.
 */
export class DocumentOracle {
  private readonly ajv = new Ajv2020({ strict: false, validateFormats: false, unicodeRegExp: false, strictNumbers: true, multipleOfPrecision: 6, allErrors: false });
  private readonly validators = new Map<JsonSchema, ValidateFunction>();

  bodyIsValid(operation: Operation, body: unknown): boolean {
    if (operation.body === undefined) return true;
    if (body === undefined) return !operation.body.required;
    const validate = this.validatorOf(operation.body.schema);
    return validate(body) || validate(trimmed(body));
  }

  /** Path or query values (strings, as they arrive), each against its parameter's schema. */
  parametersAreValid(operation: Operation, location: 'path' | 'query', values: Record<string, string | string[]>): boolean {
    const declared = operation.parameters.filter((parameter) => parameter.in === location);
    if (declared.some((parameter) => parameter.required && values[parameter.name] === undefined)) return false;
    return declared.every((parameter) => {
      const value = values[parameter.name];
      const validate = this.validatorOf(parameter.schema);
      return value === undefined || validate(typedParameter(parameter, value)) || validate(trimmed(typedParameter(parameter, value)));
    });
  }

  private validatorOf(schema: JsonSchema): ValidateFunction {
    let validate = this.validators.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(schema);
      this.validators.set(schema, validate);
    }
    return validate;
  }
}

function typedParameter(parameter: OperationParameter, value: string | string[]): unknown {
  if (Array.isArray(value)) return value;
  const type = parameter.schema.type;
  if ((type === 'integer' || type === 'number') && DECIMAL.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}


function trimmed(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(trimmed);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, trimmed(item)]));
  return value;
}
