import { Injectable } from '@nestjs/common';
import { type ContainerResources, detectContainerResources } from '../common/container-resources';

/** The container's limits, read once at start; injectable so tests can pin them. */
@Injectable()
export class ContainerResourcesProvider {
  readonly current: ContainerResources = detectContainerResources();
}
