import { Global, Module } from '@nestjs/common';
import { RequestContext } from './request-context';
import { RequestContextHook } from './request-context.hook';

@Global()
@Module({ providers: [RequestContext, RequestContextHook], exports: [RequestContext, RequestContextHook] })
export class RequestContextModule {}
