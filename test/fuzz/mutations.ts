import { rawNumber } from './fuzz-request';
import { type JsonType, mainBranch, typesOf } from './json-schema-values';
import type { JsonSchema, OperationParameter } from './openapi-operations';

export interface Mutation {
  label: string;
  value: unknown;
}

/** In order of preference: a slot gets the first WRONG_TYPES_PER_SLOT its schema does not allow. */
const VALUE_OF_TYPE: Array<[JsonType, unknown]> = [
  ['number', 42],
  ['string', 'text'],
  ['null', null],
  ['object', {}],
  ['array', []],
  ['boolean', true],
];
const WRONG_TYPES_PER_SLOT = 3;

/** 2^53: the first integer a double cannot tell from its successor. */
const TWO_TO_53 = 2 ** 53;
const BOUNDARY_NUMBERS: Mutation[] = [
  { label: '= 0', value: 0 },
  { label: '= -1', value: -1 },
  { label: '= 0.5', value: 0.5 },
  { label: '= 2^53', value: TWO_TO_53 },
  { label: '= -2^53', value: -TWO_TO_53 },
  { label: '= 1e308', value: 1e308 },
  { label: '= 1e400 (Infinity once parsed)', value: rawNumber('1e400') },
  { label: '= -1e400', value: rawNumber('-1e400') },
  { label: '= a 30-digit integer', value: rawNumber('123456789012345678901234567890') },
  { label: '= "NaN"', value: 'NaN' },
  { label: '= "12" (a number as a string)', value: '12' },
];

/**
 * Values of every other JSON type, boundary numbers for numbers, strings one past `maxLength`
 * and 64 KiB long, arrays one past `maxItems` and empty. Whether each is valid is the document
 * oracle's call, not this list's.
 */
export function bodyMutationsOf(schema: JsonSchema, current: unknown): Mutation[] {
  const types = typesOf(schema);
  const allows = (type: JsonType): boolean => types.has(type) || (type === 'number' && types.has('integer'));
  const mutations: Mutation[] = VALUE_OF_TYPE.filter(([type]) => !allows(type))
    .slice(0, WRONG_TYPES_PER_SLOT)
    .map(([type, value]) => ({ label: `as ${type}`, value }));
  const branch = mainBranch(schema);
  if (allows('number')) mutations.push(...BOUNDARY_NUMBERS);
  if (allows('string')) {
    if (branch.maxLength !== undefined) mutations.push({ label: `of ${branch.maxLength + 1} characters`, value: 'x'.repeat(branch.maxLength + 1) });
    mutations.push({ label: 'of 64 KiB', value: 'x'.repeat(65_536) });
  }
  if (allows('array') && Array.isArray(current)) {
    mutations.push({ label: 'empty', value: [] });
    if (branch.maxItems !== undefined) mutations.push({ label: `of ${branch.maxItems + 1} items`, value: Array.from({ length: branch.maxItems + 1 }, () => current[0]) });
  }
  return mutations;
}

const NUMERIC_PARAMETER_VALUES = ['abc', 'NaN', 'Infinity', '1.5', '0', '-1', '-0', String(TWO_TO_53), String(-TWO_TO_53), '99999999999999999999999'];

/** Query and path values (always strings on the wire) of the wrong type, at the edges, and too long. */
export function parameterValuesOf(parameter: OperationParameter): string[] {
  const schema = parameter.schema;
  if (schema.type === 'integer' || schema.type === 'number') return NUMERIC_PARAMETER_VALUES;
  const values = ['x'.repeat(101), 'x'.repeat(4_096)];
  if (schema.maxLength !== undefined) values.unshift('x'.repeat(schema.maxLength + 1));
  if (schema.format === 'uuid') values.unshift('not-a-uuid', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF');
  if (schema.type === 'boolean' || schema.enum !== undefined) values.unshift('TRUE', 'yes', '1');
  return values;
}
