import { type CanActivate, Injectable } from '@nestjs/common';
import { DomainError } from '../src/common/domain-error';

class BenchRefusal extends DomainError {
  readonly code = 'LOAD.SHED';
  readonly status = 503;
}

/**
 * Bench-only: refuses every request from a global Nest guard, the other place load shedding could
 * decide, to compare the cost of one refusal there with the `onRequest` hook's.
 */
@Injectable()
export class RefuseEverythingGuard implements CanActivate {
  canActivate(): boolean {
    throw new BenchRefusal('The service is overloaded; retry after 1 s');
  }
}
