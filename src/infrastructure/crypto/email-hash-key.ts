import { deriveHmacKey } from "./derive";

const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The tenant's key for `emailHash` (src/domain/pii.ts): HKDF from EMAIL_HASH_KEY, or from
 * ENCRYPTION_KEY under its own label when that is unset, with the tenant id in the label.
 * Changing either secret changes every hash: set EMAIL_HASH_KEY once and keep it.
 *
 * @example
 * const key = await emailHashKey(config.emailHashKey ?? config.encryptionKey, tenantId);
 */
export function emailHashKey(secret: string, tenantId: string): Promise<CryptoKey> {
  const id = `${secret.length}:${secret}:${tenantId}`;
  let key = keys.get(id);
  if (!key) {
    key = deriveHmacKey(secret, `ds/email-hash/v1/${tenantId}`);
    key.catch(() => keys.delete(id));
    keys.set(id, key);
  }
  return key;
}
