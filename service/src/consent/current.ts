import type { ConsentScope } from '@cartback/shared';
import { compareStamps } from '../ingest/order';

export interface LedgerEntry {
  id: number;
  scope: ConsentScope;
  action: 'granted' | 'withdrawn';
  source: string;
  text: string;
  textVersion: number;
  occurredAt: Date;
}

export interface ScopeState {
  granted: boolean;
  /** The ledger entry that decided it, or null when the contact never answered. */
  decidedBy: LedgerEntry | null;
}

export type ConsentState = Record<ConsentScope, ScopeState>;

/**
 * The current consent per scope, derived from the append-only ledger: the entry that occurred
 * last decides (ties broken by ledger id); no entry means no consent.
 */
export function currentConsent(entries: readonly LedgerEntry[]): ConsentState {
  const state: ConsentState = {
    marketing: { granted: false, decidedBy: null },
    utility: { granted: false, decidedBy: null },
  };
  for (const entry of entries) {
    const current = state[entry.scope].decidedBy;
    const stamp = (e: LedgerEntry) => ({ at: e.occurredAt, eventId: String(e.id).padStart(20, '0') });
    if (!current || compareStamps(stamp(entry), stamp(current)) > 0) {
      state[entry.scope] = { granted: entry.action === 'granted', decidedBy: entry };
    }
  }
  return state;
}
