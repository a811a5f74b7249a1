import { Global, Module } from '@nestjs/common';
import { TenantSnapshotReader } from './tenant-snapshot-reader';
import { TenantTransactions } from './tenant-transaction';

@Global()
@Module({ providers: [TenantTransactions, TenantSnapshotReader], exports: [TenantTransactions, TenantSnapshotReader] })
export class TenantTransactionsModule {}
