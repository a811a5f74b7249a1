import { Global, Module } from '@nestjs/common';
import { TenantTransactions } from './tenant-transaction';

@Global()
@Module({ providers: [TenantTransactions], exports: [TenantTransactions] })
export class TenantTransactionsModule {}
