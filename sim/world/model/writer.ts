/**
 * Every write to the platform's stores goes through here, tagged with the code
 * path that made it, so the run can say who wrote what (and the KPI "dunning
 * code paths" counts the distinct writers of subs_dunning and cf_prod).
 */
import type { BillingProdRow, StoreName } from '../../../policies/account.js';
import { severityOf } from '../../../policies/types.js';
import { appended, touch, type AccountState } from './state.js';

const SUSPEND = severityOf('suspend');

export class StoreWriter {
  readonly writes = new Map<string, Map<StoreName, number>>();
  readonly dunningWriters = new Set<string>();
  /** Hears an account's cf_prod restriction reaching `suspend` (the customer notices); null: nobody listens. */
  onSuspended: ((a: AccountState) => void) | null = null;

  private count(a: AccountState, codePath: string, store: StoreName): void {
    touch(a);
    let byStore = this.writes.get(codePath);
    if (byStore === undefined) this.writes.set(codePath, (byStore = new Map()));
    byStore.set(store, (byStore.get(store) ?? 0) + 1);
    if (store === 'subs_dunning' || store === 'cf_prod') this.dunningWriters.add(codePath);
  }

  subsAccount(a: AccountState, codePath: string, patch: Partial<AccountState['subsAccount']>): void {
    Object.assign(a.subsAccount, patch);
    this.count(a, codePath, 'subs_account');
  }

  subsCustomer(a: AccountState, codePath: string, patch: Partial<AccountState['subsCustomer']>): void {
    Object.assign(a.subsCustomer, patch);
    this.count(a, codePath, 'subs_customer');
  }

  subsDunning(a: AccountState, codePath: string, patch: Partial<AccountState['subsDunning']>): void {
    Object.assign(a.subsDunning, patch);
    this.count(a, codePath, 'subs_dunning');
  }

  cfProd(a: AccountState, codePath: string, patch: Partial<AccountState['cfProd']>): void {
    const wasSuspended = severityOf(a.cfProd.restriction) >= SUSPEND;
    Object.assign(a.cfProd, patch);
    this.count(a, codePath, 'cf_prod');
    if (!wasSuspended && severityOf(a.cfProd.restriction) >= SUSPEND) this.onSuspended?.(a);
  }

  billingProd(a: AccountState, codePath: string, rows: readonly BillingProdRow[]): void {
    for (const row of rows) {
      const existing = a.billingProd.find((r) => r.invoiceId === row.invoiceId);
      if (existing === undefined) a.billingProd = appended(a.billingProd, { ...row });
      else existing.status = row.status;
    }
    this.count(a, codePath, 'billing_prod');
  }

  codePathsTable(): Record<string, Record<string, number>> {
    const table: Record<string, Record<string, number>> = {};
    for (const [path, byStore] of [...this.writes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      table[path] = Object.fromEntries([...byStore.entries()].sort(([a], [b]) => a.localeCompare(b)));
    }
    return table;
  }
}
