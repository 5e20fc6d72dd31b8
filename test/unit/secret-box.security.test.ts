import { describe, expect, it } from "vitest";
import { SecretBox } from "../../src/infrastructure/crypto/secret-box";

const key = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

describe("secrets bound to their owner (AES-GCM associated data)", () => {
  it("opens only for the owner it was sealed for", async () => {
    const box = await SecretBox.create(key());
    const sealed = await box.seal("token", "instance-a");
    expect(SecretBox.isUnbound(sealed)).toBe(false);
    expect(await box.open(sealed, "instance-a")).toBe("token");
    await expect(box.open(sealed, "instance-b")).rejects.toThrow();
    await expect(box.open(sealed)).rejects.toThrow(/bound/);
  });

  it("still opens ciphertexts sealed before binding, and says they need re-sealing", async () => {
    const box = await SecretBox.create(key());
    const legacy = await box.seal("old token");
    expect(SecretBox.isUnbound(legacy)).toBe(true);
    expect(await box.open(legacy, "instance-a")).toBe("old token");
  });
});
