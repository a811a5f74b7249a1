import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source.options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const database = config.get('database', { infer: true });
        return {
          ...buildDataSourceOptions(database, database.url as string, { role: 'app' }),
          autoLoadEntities: true,
          retryAttempts: 5,
          retryDelay: 2_000,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
