import { invalid } from "../../domain/errors";
import { deriveHmacKey } from "./derive";

/**
 * Opaque, signed pagination cursors. The payload is bound to a scope (tenant and list), so a
 * cursor edited by hand or taken from another tenant or list is refused as a 400, never a 500.
 */
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** CURSOR_SIGNING_KEY, or a key derived from ENCRYPTION_KEY for this purpose only (HKDF). */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = deriveHmacKey(secret, "ds/cursor-signing/v1");
    keys.set(secret, key);
  }
  return key;
}

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

export class CursorCodec {
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  async encode(scope: string, payload: unknown): Promise<string> {
    const body = encoder.encode(JSON.stringify(payload));
    const mac = await crypto.subtle.sign(
      "HMAC",
      await hmacKey(this.#secret),
      encoder.encode(`${scope}\n${toBase64Url(body)}`),
    );
    return `${toBase64Url(body)}.${toBase64Url(new Uint8Array(mac).slice(0, 16))}`;
  }

  async decode(scope: string, cursor: string): Promise<unknown> {
    const refuse = () =>
      invalid("The cursor is invalid or belongs to another query.", [
        { path: "cursor", message: "not a cursor this list issued" },
      ]);
    const [body, mac] = cursor.split(".");
    if (!body || !mac || !/^[A-Za-z0-9_-]+$/.test(body + mac)) {
      throw refuse();
    }
    try {
      const expected = new Uint8Array(
        await crypto.subtle.sign(
          "HMAC",
          await hmacKey(this.#secret),
          encoder.encode(`${scope}\n${body}`),
        ),
      ).slice(0, 16);
      const given = fromBase64Url(mac);
      if (given.length !== 16 || !crypto.subtle.timingSafeEqual(given, expected)) {
        throw refuse();
      }
      return JSON.parse(new TextDecoder().decode(fromBase64Url(body)));
    } catch {
      throw refuse();
    }
  }
}
