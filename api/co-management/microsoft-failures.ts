import type { CustomerDocument } from '../customers/customer-document';
import { AppError } from '../errors';
import { GraphError, GraphTokenError } from '../graph/graph-errors';

/** Runs a call to Microsoft for the customer's tenant; its failures as the partner should read them. */
export async function fromMicrosoft<T>(customer: CustomerDocument, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GraphTokenError) {
      throw new AppError(
        409,
        'microsoft_consent_missing',
        `Microsoft refused access to ${customer.tenantName}: ${error.message} The customer's administrator may have removed the consent; send the activation link again.`,
      );
    }
    if (error instanceof GraphError) {
      const status = error.status === 0 || error.status >= 500 || error.status === 429 ? 502 : 409;
      throw new AppError(status, 'microsoft_error', `Microsoft answered: ${error.message}`);
    }
    throw error;
  }
}
