import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './storable-text';

/** Enough to act on; a body of a million NULs does not get a million-line answer. */
const MAX_REPORTED_FIELDS = 20;

interface FieldError {
  field: string;
  message: string;
}

/**
 * Validates a body, query or parameter against a zod schema (zod is the validation library of this
 * service, as in config/) and returns the parsed value; failures become a 400 problem+json listing
 * every invalid field. Every string of the parsed value must also be storable text (storable-text.ts),
 * so that such input is a 400 naming the field rather than a database error deep in a service (a 500).
 */
@Injectable()
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    const parsed = this.schema.safeParse(value);
    const errors: FieldError[] = parsed.success
      ? unstorableStrings(parsed.data)
      : parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(root)', message: issue.message }));
    if (parsed.success && errors.length === 0) return parsed.data;
    throw new BadRequestException({ message: errors.map((error) => `${error.field}: ${error.message}`).join('; '), errors });
  }
}

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | undefined;
}

/**
 * The parsed value only (what the schema let through), breadth first without recursion: a schema
 * may pass client-shaped data (`z.unknown()`) nested deeper than the stack. Keys are text too.
 */
function unstorableStrings(root: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const fieldOf = (visit: Visit | undefined, key?: string): string => {
    const keys = key === undefined ? [] : [key];
    for (let at = visit; at?.parent !== undefined; at = at.parent) keys.push(at.key);
    return keys.reverse().join('.') || '(root)';
  };
  const refuse = (field: string): void => {
    errors.push({ field, message: UNSTORABLE_TEXT_MESSAGE });
  };
  const queue: Visit[] = [{ value: root, key: '', parent: undefined }];
  for (let index = 0; index < queue.length && errors.length < MAX_REPORTED_FIELDS; index += 1) {
    const visit = queue[index] as Visit;
    const { value } = visit;
    if (typeof value === 'string') {
      if (!isStorableText(value)) refuse(fieldOf(visit));
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, position) => queue.push({ value: item, key: String(position), parent: visit }));
    } else if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [key, item] of Object.entries(value)) {
        if (!isStorableText(key)) refuse(fieldOf(visit, key));
        queue.push({ value: item, key, parent: visit });
      }
    }
  }
  return errors;
}
