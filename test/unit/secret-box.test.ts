import { describe, expect, it } from "vitest";
import { CursorCodec } from "../../src/infrastructure/crypto/cursor";
import { SecretBox } from "../../src/infrastructure/crypto/secret-box";

const randomKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

describe("SecretBox (AES-256-GCM)", () => {
  it("round-trips, with a fresh IV each time", async () => {
    const box = await SecretBox.create(randomKey());
    const a = await box.seal("token-123");
    const b = await box.seal("token-123");
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain("token-123");
    expect(await box.open(a)).toBe("token-123");
  });

  it("keeps old secrets readable after a key rotation, and new ones use the new key", async () => {
    const oldKey = randomKey();
    const newKey = randomKey();
    const sealedWithOld = await (await SecretBox.create(oldKey)).seal("old secret");
    const rotated = await SecretBox.create(newKey, [oldKey]);
    expect(await rotated.open(sealedWithOld)).toBe("old secret");
    const sealedWithNew = await rotated.seal("new secret");
    expect(sealedWithNew.keyId).not.toBe(sealedWithOld.keyId);
    expect(sealedWithNew.keyId).toBe(rotated.currentKeyId);
    const withoutOld = await SecretBox.create(newKey);
    await expect(withoutOld.open(sealedWithOld)).rejects.toThrow(/no encryption key/);
  });

  it("detects tampering", async () => {
    const box = await SecretBox.create(randomKey());
    const sealed = await box.seal("payload");
    const [iv, data] = sealed.ciphertext.split(".");
    const flipped = `${iv}.${data?.startsWith("A") ? "B" : "A"}${data?.slice(1)}`;
    await expect(box.open({ ...sealed, ciphertext: flipped })).rejects.toThrow();
  });

  it("refuses keys that are not 32 bytes", async () => {
    await expect(SecretBox.create(btoa("short"))).rejects.toThrow(/32 bytes/);
  });
});

describe("CursorCodec", () => {
  it("round-trips within its scope and refuses other scopes or edits", async () => {
    const codec = new CursorCodec(randomKey());
    const cursor = await codec.encode("list:a", { t: "2025-01-01T00:00:00.000Z", id: "x" });
    expect(await codec.decode("list:a", cursor)).toEqual({
      t: "2025-01-01T00:00:00.000Z",
      id: "x",
    });
    await expect(codec.decode("list:b", cursor)).rejects.toThrow(/cursor/);
    await expect(codec.decode("list:a", `${cursor}x`)).rejects.toThrow(/cursor/);
    await expect(codec.decode("list:a", "garbage")).rejects.toThrow(/cursor/);
  });
});
