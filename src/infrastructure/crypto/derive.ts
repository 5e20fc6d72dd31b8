/**
 * Purpose-bound keys from one server secret (HKDF-SHA256): the cursor-signing key, the metrics
 * label key and the email-hash keys never equal ENCRYPTION_KEY nor each other, so one leaking or
 * being misused cannot forge another.
 *
 * @example
 * const bytes = await deriveKeyBytes(config.encryptionKey, "ds/cursor-signing/v1");
 */
const encoder = new TextEncoder();

export async function deriveKeyBytes(secret: string, label: string): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: encoder.encode(label) },
    base,
    256,
  );
  return new Uint8Array(bits);
}

/** An HMAC-SHA256 signing key derived for `label`. */
export async function deriveHmacKey(secret: string, label: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    await deriveKeyBytes(secret, label),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** Hex HMAC-SHA256 of `text`. */
export async function hmacHex(key: CryptoKey, text: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}
