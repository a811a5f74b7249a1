import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Validates a body, query or parameter against a zod schema (zod is the validation library of this
 * service, as in config/) and returns the parsed value; failures become a 400 problem+json listing
 * every invalid field.
 */
@Injectable()
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const errors = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(root)', message: issue.message }));
    throw new BadRequestException({ message: errors.map((error) => `${error.field}: ${error.message}`).join('; '), errors });
  }
}
