import { DomainError } from './domain-error';

/**
 * 404 for a resource that does not exist *for this caller*: another tenant's ids and venues a
 * venue owner does not own get the same answer, so existence never leaks.
 */
export class ResourceNotFoundError extends DomainError {
  readonly code = 'RESOURCE.NOT_FOUND';
  readonly status = 404;

  constructor(resource: string, id: string) {
    super(`No ${resource} ${id} was found`);
  }
}
