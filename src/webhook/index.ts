/**
 * Webhook helpers of the portable core: {@link verifyWebhookSignature}.
 *
 * @module
 */
export { verifyWebhookSignature } from './signature.js';
