/** A customer goes by its name, or by its account id when it has none (the name is optional). */
export function customerLabel(customer: { name?: string | null | undefined; accountId: string }): string {
  return customer.name ?? customer.accountId;
}
