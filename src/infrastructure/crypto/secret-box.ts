/**
 * AES-256-GCM encryption of stored secrets through WebCrypto. Each ciphertext is stored with the
 * id of the key that made it, so ENCRYPTION_KEY can rotate: old ciphertexts stay readable while
 * the previous key is listed in ENCRYPTION_KEYS_PREVIOUS, and are re-encrypted on their next write.
 *
 * A ciphertext can be bound to its owner (associated data, e.g. the instance id): copied onto
 * another row it no longer opens. Bound ones carry the `ad1.` prefix; ciphertexts from before
 * binding existed have none and open without associated data until they are re-sealed.
 */
export interface Sealed {
  /** `ad1.base64(iv).base64(ciphertext+tag)` (bound) or `base64(iv).base64(ciphertext+tag)` */
  ciphertext: string;
  keyId: string;
}

const BOUND = "ad1.";

interface Key {
  id: string;
  key: CryptoKey;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function importKey(base64: string): Promise<Key> {
  const raw = fromBase64(base64.trim());
  if (raw.length !== 32) {
    throw new Error("an encryption key must be 32 bytes, base64-encoded");
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  const id = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { id, key };
}

export class SecretBox {
  readonly #current: Key;
  readonly #all: Map<string, Key>;

  private constructor(current: Key, all: Key[]) {
    this.#current = current;
    this.#all = new Map(all.map((k) => [k.id, k]));
  }

  /** `current` encrypts; `previous` keys only decrypt. */
  static async create(current: string, previous: string[] = []): Promise<SecretBox> {
    const currentKey = await importKey(current);
    const previousKeys = await Promise.all(previous.map(importKey));
    return new SecretBox(currentKey, [currentKey, ...previousKeys]);
  }

  get currentKeyId(): string {
    return this.#current.id;
  }

  /** With `boundTo`, the ciphertext opens only with the same value (AES-GCM associated data). */
  async seal(plaintext: string, boundTo?: string): Promise<Sealed> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new TextEncoder().encode(plaintext);
    const params: SubtleCryptoEncryptAlgorithm = { name: "AES-GCM", iv };
    if (boundTo !== undefined) {
      params.additionalData = new TextEncoder().encode(boundTo);
    }
    const sealed = new Uint8Array(await crypto.subtle.encrypt(params, this.#current.key, data));
    const prefix = boundTo !== undefined ? BOUND : "";
    return { ciphertext: `${prefix}${toBase64(iv)}.${toBase64(sealed)}`, keyId: this.#current.id };
  }

  /** Whether a ciphertext predates binding (and should be re-sealed with its owner). */
  static isUnbound(sealed: Sealed): boolean {
    return !sealed.ciphertext.startsWith(BOUND);
  }

  async open(sealed: Sealed, boundTo?: string): Promise<string> {
    const key = this.#all.get(sealed.keyId);
    if (!key) {
      throw new Error(`no encryption key with id ${sealed.keyId} is configured`);
    }
    const bound = sealed.ciphertext.startsWith(BOUND);
    if (bound && boundTo === undefined) {
      throw new Error("this ciphertext is bound to an owner; pass it to open");
    }
    const [iv, data] = (bound ? sealed.ciphertext.slice(BOUND.length) : sealed.ciphertext).split(
      ".",
    );
    if (!iv || !data) {
      throw new Error("malformed ciphertext");
    }
    const params: SubtleCryptoEncryptAlgorithm = { name: "AES-GCM", iv: fromBase64(iv) };
    if (bound && boundTo !== undefined) {
      params.additionalData = new TextEncoder().encode(boundTo);
    }
    const plain = await crypto.subtle.decrypt(params, key.key, fromBase64(data));
    return new TextDecoder().decode(plain);
  }
}
