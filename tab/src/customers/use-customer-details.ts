import { useEffect, useState } from 'react';
import type { AuditEntryView, CustomerDetailsView, Page, PortalApi, SyncRunView } from '../api/portal-api';

/** One part of the page: its latest answer, kept while it is read again, or why it failed. */
export type Loaded<T> = { data?: T; error?: unknown; loading: boolean };

/** Loads the page's three parts side by side; each shows its own failure. */
export function useCustomerDetails(api: PortalApi, customerId: string, reload: number) {
  const [customer, setCustomer] = useState<Loaded<CustomerDetailsView>>({ loading: true });
  const [runs, setRuns] = useState<Loaded<Page<SyncRunView>>>({ loading: true });
  const [audit, setAudit] = useState<Loaded<Page<AuditEntryView>>>({ loading: true });
  useEffect(() => {
    let current = true;
    const follow = <T,>(promise: Promise<T>, set: (update: (before: Loaded<T>) => Loaded<T>) => void) => {
      set((before) => ({ data: before.data, loading: true }));
      promise.then(
        (data) => current && set(() => ({ data, loading: false })),
        (error: unknown) => current && set((before) => ({ data: before.data, error, loading: false })),
      );
    };
    follow(api.getCustomer(customerId), setCustomer);
    follow(api.listSyncRuns(customerId, 1, 10), setRuns);
    follow(api.listAudit(customerId, 1, 20), setAudit);
    return () => {
      current = false;
    };
  }, [api, customerId, reload]);
  return { customer, runs, audit };
}
