import { deriveHmacKey, hmacHex } from "../crypto/derive";

const labelKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The `instance` label of /metrics: the first 16 hex of an HMAC of the instance id under a key
 * derived from ENCRYPTION_KEY. Stable per instance (lag per instance stays useful; an operator
 * maps it back with the same function) but useless to an outsider as an id to aim requests at.
 *
 * @example
 * const label = await instanceMetricsLabel(config.encryptionKey, instanceId); // "3f9c0a…"
 */
export async function instanceMetricsLabel(secret: string, instanceId: string): Promise<string> {
  let key = labelKeys.get(secret);
  if (!key) {
    key = deriveHmacKey(secret, "ds/metrics-labels/v1");
    labelKeys.set(secret, key);
  }
  return (await hmacHex(await key, instanceId)).slice(0, 16);
}
