import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthenticationHook } from './authentication.hook';
import { JwtVerifier } from './jwt-verifier';
import { MeController } from './me.controller';
import { RolesGuard } from './roles.guard';

@Global()
@Module({
  controllers: [MeController],
  providers: [JwtVerifier, AuthenticationHook, { provide: APP_GUARD, useClass: RolesGuard }],
  exports: [JwtVerifier, AuthenticationHook],
})
export class AuthModule {}
