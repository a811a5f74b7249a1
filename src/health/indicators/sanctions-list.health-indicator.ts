import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { AppConfig } from '../../config/app-config';
import { ActiveSanctionsLists } from '../../modules/sanctions/screening/active-sanctions-lists';
import type { ComponentHealth } from '../component-health';

const HOUR_MS = 3_600_000;

/**
 * Whether this instance screens against a current list. Not critical: with no list or a stale one
 * the pod still serves everything else, so it is degraded (200), never unready; the age threshold
 * is SANCTIONS_LIST_MAX_AGE_HOURS (OFAC publishes changes several times a week). Looked up by
 * reference rather than injected, so health does not import the sanctions module's dependencies.
 */
@Injectable()
export class SanctionsListHealthIndicator implements OnApplicationBootstrap {
  private lists: ActiveSanctionsLists | undefined;
  private readonly maxAgeMs: number;

  constructor(
    private readonly moduleRef: ModuleRef,
    config: ConfigService<AppConfig, true>,
  ) {
    this.maxAgeMs = config.get('sanctions', { infer: true }).listMaxAgeHours * HOUR_MS;
  }

  onApplicationBootstrap(): void {
    try {
      this.lists = this.moduleRef.get(ActiveSanctionsLists, { strict: false });
    } catch {
      this.lists = undefined;
    }
  }

  check(): ComponentHealth {
    if (this.lists === undefined) return { status: 'not_configured' };
    const snapshot = this.lists.current();
    if (snapshot === null) return { status: 'degraded', error: 'no sanctions list is loaded' };
    const newest = Math.max(...snapshot.versions.map((version) => version.loadedAt.getTime()));
    const ageHours = Math.round((Date.now() - newest) / HOUR_MS);
    if (Date.now() - newest > this.maxAgeMs) return { status: 'degraded', error: `the newest sanctions list was loaded ${ageHours} h ago` };
    return { status: 'healthy' };
  }
}
