/** A serialised response body and its entity tag. */
export interface TaggedDocument {
  body: string;
  etag: string;
}

const encoder = new TextEncoder();

/**
 * A strong entity tag: a hash of the exact bytes sent.
 *
 * @example
 * await etagOf('{"key":"PROJ-1"}') // '"3q2+7w…"'
 */
export async function etagOf(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(body)));
  const b64 = btoa(String.fromCharCode(...digest.slice(0, 18)));
  return `"${b64.replace(/\+/g, "-").replace(/\//g, "_")}"`;
}

export async function taggedDocument(value: unknown): Promise<TaggedDocument> {
  const body = JSON.stringify(value);
  return { body, etag: await etagOf(body) };
}
