import { type DynamicModule, Module } from '@nestjs/common';
import type { DeploymentEnvironment } from '../config/app-config';
import { DevTokenController } from './dev-token.controller';

/**
 * The officer console's server side; its static files are registered by configureApp
 * (console-assets.ts). The sign-in page's token minting exists only in development: elsewhere the
 * route is not registered at all.
 */
@Module({})
export class ConsoleModule {
  static forEnvironment(environment: DeploymentEnvironment): DynamicModule {
    return { module: ConsoleModule, controllers: environment === 'development' ? [DevTokenController] : [] };
  }
}
