import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RefuseEverythingGuard } from './overload-refusal.guard';

@Module({ providers: [{ provide: APP_GUARD, useClass: RefuseEverythingGuard }] })
export class OverloadRefusalModule {}
