import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe';

function refusedFields(pipe: ZodValidationPipe<z.ZodType>, value: unknown): string[] {
  try {
    pipe.transform(value);
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return (error.getResponse() as { errors: Array<{ field: string }> }).errors.map((each) => each.field);
  }
  return [];
}

describe('ZodValidationPipe', () => {
  const pipe = new ZodValidationPipe(z.strictObject({ name: z.string(), tags: z.array(z.string()).optional(), data: z.record(z.string(), z.unknown()).optional() }));

  it('names every invalid field', () => {
    expect(refusedFields(pipe, { name: 42, extra: true }).sort()).toEqual(['(root)', 'name']);
  });

  it('refuses text PostgreSQL cannot store (NUL, an unpaired surrogate) with a 400 naming the field, not a database error', () => {
    expect(refusedFields(pipe, { name: 'a\u0000b' })).toEqual(['name']);
    expect(refusedFields(pipe, { name: 'ok', tags: ['fine', 'lone \ud800'] })).toEqual(['tags.1']);
    expect(refusedFields(pipe, { name: 'ok', data: { 'key\u0000': 1, nested: { deep: '\udc00' } } }).sort()).toEqual(['data.key\u0000', 'data.nested.deep']);
  });

  it('accepts characters outside the BMP (a surrogate pair) and returns the parsed value', () => {
    expect(pipe.transform({ name: 'Café 😍 ﷺ' })).toEqual({ name: 'Café 😍 ﷺ' });
  });

  it('walks data nested deeper than the call stack without overflowing', () => {
    let deep: unknown = 'bottom\u0000';
    for (let level = 0; level < 200_000; level += 1) deep = [deep];
    const fields = refusedFields(pipe, { name: 'ok', data: { deep } });
    expect(fields).toHaveLength(1);
    expect(fields[0]?.startsWith('data.deep.0.0.')).toBe(true);
  });
});
