/** Numbers per Teams callflow the sync creates: few writes, and small enough to edit. */
export const ROUTE_BATCH = 100;
/** Lists kept on a run document are capped; the counts beside them are exact. */
export const LIST_CAP = 500;
