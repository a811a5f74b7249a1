import { Module } from '@nestjs/common';
import { OverloadRoutesController } from './overload-routes.controller';

@Module({ controllers: [OverloadRoutesController] })
export class OverloadRoutesModule {}
