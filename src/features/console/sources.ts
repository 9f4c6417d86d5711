/**
 * Panels the console shows from features that report their own status: the ERP change feed
 * (webhooks and polling) and the price sheet (the hybrid sync that keeps prices warm). Each is
 * optional: a feature that is not composed, or does not report yet, shows as "not reported".
 *
 * The features publish their status providers among the services (`core.services`) under these
 * names; the console reads them at request time, so the order of features does not matter.
 *
 * @module
 */
import type { GraphQLServices } from '../../transport/graphql/context.ts';

export interface ChangeFeedStatus {
  /** When the last ERP change event arrived (UTC ISO 8601); `null` before the first. */
  lastEventAt: string | null;
  /** How far behind the ERP the feed is, seconds; `null` when not known. */
  lagSeconds: number | null;
  /** Where events come from: `webhook`, `poll`, ...; `null` when none is configured. */
  source: string | null;
}

export interface PriceSheetStatus {
  /** Active customers whose prices are kept warm. */
  customers: number;
  items: number;
  /** The share of (customer, item) prices held, 0–1. */
  coverageRatio: number;
  /** Age of the oldest price held, seconds; `null` when none is. */
  ageSeconds: number | null;
  lastRunAt: string | null;
}

export interface ConsoleSources {
  /** Sync or async: the change feed reads its figures from the shared store. */
  changeFeed?: { status(): ChangeFeedStatus | Promise<ChangeFeedStatus> };
  priceSheet?: { status(): Promise<PriceSheetStatus> };
}

/** The providers among the features' services, when they are there. */
export function consoleSources(services: GraphQLServices): ConsoleSources {
  const published = services as unknown as Partial<Record<keyof ConsoleSources, unknown>>;
  const sources: ConsoleSources = {};
  if (hasStatus(published.changeFeed)) sources.changeFeed = published.changeFeed as ConsoleSources['changeFeed'];
  if (hasStatus(published.priceSheet)) sources.priceSheet = published.priceSheet as ConsoleSources['priceSheet'];
  return sources;
}

const hasStatus = (value: unknown): boolean => typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'function';
