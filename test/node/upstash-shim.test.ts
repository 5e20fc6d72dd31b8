/**
 * The Upstash REST shim against a real redis-server, driven by the real @upstash/redis and
 * @upstash/ratelimit clients (plus a few raw HTTP requests for the protocol edges).
 */
import { createHash } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisHandle, startRedis } from "../../scripts/lib/redis-server.ts";
import { startUpstashShim, type UpstashShimHandle } from "../../scripts/lib/upstash-shim.ts";

const TOKEN = "shim-test-token";
let redisServer: RedisHandle;
let shim: UpstashShimHandle;
let redis: Redis;

beforeAll(async () => {
  redisServer = await startRedis();
  shim = await startUpstashShim({ redisPort: redisServer.port, token: TOKEN });
  redis = new Redis({ url: shim.url, token: TOKEN, enableTelemetry: false });
});

afterAll(async () => {
  await shim?.close();
  await redisServer?.stop();
});

async function raw(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${shim.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("protocol", () => {
  it("requires the bearer token", async () => {
    for (const authorization of [undefined, "Bearer wrong", `Basic ${TOKEN}`]) {
      const response = await fetch(shim.url, {
        method: "POST",
        headers: authorization ? { authorization } : {},
        body: JSON.stringify(["PING"]),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "Unauthorized" });
    }
  });

  it("runs single commands and reports errors with 400", async () => {
    expect(await raw("/", ["SET", "raw:k", "v"])).toEqual({ status: 200, body: { result: "OK" } });
    expect(await raw("/", ["GET", "raw:k"])).toEqual({ status: 200, body: { result: "v" } });
    expect(await raw("/", ["GET", "raw:missing"])).toEqual({ status: 200, body: { result: null } });
    expect(await raw("/", ["INCR", "raw:n"])).toEqual({ status: 200, body: { result: 1 } });
    const wrongType = await raw("/", ["INCR", "raw:k"]);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toEqual({ error: "ERR value is not an integer or out of range" });
    expect((await raw("/", ["NOSUCHCOMMAND"])).status).toBe(400);
    expect((await raw("/", { not: "a command" })).status).toBe(400);
    expect((await raw("/", ["MULTI"])).status).toBe(400);
  });

  it("encodes bulk strings as base64 on request, but not OK or integers", async () => {
    const b64 = { "upstash-encoding": "base64" };
    expect((await raw("/", ["SET", "raw:b", "héllo"], b64)).body).toEqual({ result: "OK" });
    expect((await raw("/", ["GET", "raw:b"], b64)).body).toEqual({
      result: Buffer.from("héllo").toString("base64"),
    });
    expect((await raw("/", ["STRLEN", "raw:b"], b64)).body).toEqual({ result: 6 });
    await raw("/", ["RPUSH", "raw:list", "a", "b"]);
    expect((await raw("/", ["LRANGE", "raw:list", "0", "-1"], b64)).body).toEqual({
      result: ["YQ==", "Yg=="],
    });
    const pipeline = await raw("/pipeline", [["GET", "raw:b"], ["INCR", "raw:b"], ["PING"]], b64);
    expect(pipeline.body).toEqual([
      { result: Buffer.from("héllo").toString("base64") },
      { error: "ERR value is not an integer or out of range" },
      { result: Buffer.from("PONG").toString("base64") },
    ]);
  });

  it("multi-exec returns per-command results and aborts on queue-time errors", async () => {
    const ok = await raw("/multi-exec", [
      ["SET", "raw:m", "1"],
      ["INCR", "raw:m"],
      ["HSET", "raw:m", "f", "v"],
    ]);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual([
      { result: "OK" },
      { result: 2 },
      { error: "WRONGTYPE Operation against a key holding the wrong kind of value" },
    ]);
    const aborted = await raw("/multi-exec", [["SET", "raw:m", "3"], ["GET"]]);
    expect(aborted.status).toBe(400);
    expect(String((aborted.body as { error: string }).error)).toMatch(/wrong number of arguments/);
    expect((await raw("/", ["GET", "raw:m"])).body).toEqual({ result: "2" });
  });
});

describe("@upstash/redis", () => {
  it("set/get/incr/expire", async () => {
    expect(await redis.set("c:str", "value")).toBe("OK");
    expect(await redis.get("c:str")).toBe("value");
    expect(await redis.incr("c:count")).toBe(1);
    expect(await redis.incrby("c:count", 5)).toBe(6);
    expect(await redis.expire("c:count", 100)).toBe(1);
    const ttl = await redis.ttl("c:count");
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(await redis.set("c:ex", "x", { ex: 60, nx: true })).toBe("OK");
    expect(await redis.set("c:ex", "y", { ex: 60, nx: true })).toBeNull();
    expect(await redis.del("c:str", "c:ex")).toBe(2);
    expect(await redis.get("c:str")).toBeNull();
    expect(await redis.ping()).toBe("PONG");
    expect(await redis.type("c:count")).toBe("string");
  });

  it("round-trips JSON values and non-ASCII text", async () => {
    const value = { tenant: "acme", n: 42, tags: ["a", "ž"], nested: { ok: true } };
    await redis.set("c:json", value);
    expect(await redis.get("c:json")).toEqual(value);
    await redis.set("c:text", "Žluťoučký kůň 🐎");
    expect(await redis.get("c:text")).toBe("Žluťoučký kůň 🐎");
  });

  it("hashes", async () => {
    expect(await redis.hset("c:hash", { a: "1", b: "two", c: { x: 1 } })).toBe(3);
    expect(await redis.hget("c:hash", "b")).toBe("two");
    expect(await redis.hgetall("c:hash")).toEqual({ a: 1, b: "two", c: { x: 1 } });
    expect(await redis.hincrby("c:hash", "a", 2)).toBe(3);
    expect(await redis.hkeys("c:hash")).toEqual(["a", "b", "c"]);
  });

  it("pipeline and multi", async () => {
    const pipeline = redis.pipeline();
    pipeline.set("c:p", "1").incr("c:p").get("c:p").hset("c:ph", { f: "v" }).hgetall("c:ph");
    expect(await pipeline.exec()).toEqual(["OK", 2, 2, 1, { f: "v" }]);

    const multi = redis.multi();
    multi
      .set("c:m", "a")
      .append("c:m", "b")
      .get("c:m")
      .lpush("c:ml", "x", "y")
      .lrange("c:ml", 0, -1);
    expect(await multi.exec()).toEqual(["OK", 2, "ab", 2, ["y", "x"]]);

    const failing = redis.multi();
    failing.set("c:mf", "text").incr("c:mf");
    await expect(failing.exec()).rejects.toThrow(/\[ incr \] failed: .*not an integer/);
    const kept = redis.multi();
    kept.set("c:mf", "text").incr("c:mf");
    const results = await kept.exec({ keepErrors: true });
    expect(results[0]).toEqual({ error: undefined, result: "OK" });
    expect(results[1]?.error).toMatch(/not an integer/);
  });

  it("works without base64 response encoding too", async () => {
    const plain = new Redis({
      url: shim.url,
      token: TOKEN,
      responseEncoding: false,
      enableTelemetry: false,
    });
    await plain.set("c:plain", "héllo wörld");
    expect(await plain.get("c:plain")).toBe("héllo wörld");
    expect(await plain.mget("c:plain", "c:nothing")).toEqual(["héllo wörld", null]);
  });

  it("serves concurrent requests (connection pool) without mixing replies", async () => {
    const values = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        redis.set(`c:conc:${i}`, i).then(() => redis.get(`c:conc:${i}`)),
      ),
    );
    expect(values).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await Promise.all(Array.from({ length: 100 }, () => redis.incr("c:conc:counter")));
    expect(await redis.get("c:conc:counter")).toBe(100);
  });

  it("rejects a wrong token", async () => {
    const wrong = new Redis({ url: shim.url, token: "nope", enableTelemetry: false, retry: false });
    await expect(wrong.get("c:str")).rejects.toThrow(/Unauthorized/);
  });
});

describe("Lua scripts", () => {
  const script = `#!lua flags=allow-key-locking
return {KEYS[1], ARGV[1]}`;
  const sha = createHash("sha1").update(script).digest("hex");

  it("strips the Upstash-only flag and maps the original SHA for EVALSHA", async () => {
    const before = await raw("/", ["EVALSHA", sha, "1", "k", "v"]);
    expect(before.status).toBe(400);
    expect((before.body as { error: string }).error).toMatch(/^NOSCRIPT/);
    expect(await redis.eval(script, ["k"], ["v"])).toEqual(["k", "v"]);
    expect(await redis.evalsha(sha, ["k2"], ["v2"])).toEqual(["k2", "v2"]);
    expect(await redis.scriptExists(sha)).toEqual([1]);
  });

  it("SCRIPT LOAD returns the original SHA; NOSCRIPT surfaces after a flush", async () => {
    expect(await redis.scriptLoad(script)).toBe(sha);
    expect(await redis.evalsha(sha, ["a"], ["b"])).toEqual(["a", "b"]);
    await redis.scriptFlush();
    await expect(redis.evalsha(sha, ["a"], ["b"])).rejects.toThrow(/NOSCRIPT/);
  });

  it("keeps the flags Redis knows", async () => {
    const readOnly = "#!lua flags=no-writes,allow-key-locking\nreturn redis.call('GET', KEYS[1])";
    await redis.set("lua:ro", "yes");
    expect(await redis.eval(readOnly, ["lua:ro"], [])).toBe("yes");
    const writing =
      "#!lua flags=no-writes,allow-key-locking\nreturn redis.call('SET', KEYS[1], 'x')";
    await expect(redis.eval(writing, ["lua:ro"], [])).rejects.toThrow(
      /Write commands are not allowed/,
    );
  });
});

describe("@upstash/ratelimit", () => {
  for (const [name, limiter] of [
    ["slidingWindow", Ratelimit.slidingWindow(5, "10 s")],
    ["fixedWindow", Ratelimit.fixedWindow(5, "10 s")],
  ] as const) {
    it(`${name}: the 6th call in the window is refused`, async () => {
      const ratelimit = new Ratelimit({
        redis,
        limiter,
        prefix: `rl-test-${name}-${Date.now()}`,
        ephemeralCache: false,
        analytics: false,
      });
      const start = Date.now();
      const results = [];
      for (let i = 0; i < 6; i++) {
        results.push(await ratelimit.limit("tenant-1"));
      }
      expect(results.map((r) => r.success)).toEqual([true, true, true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
      for (const result of results) {
        expect(result.reason).toBeUndefined(); // not "timeout": Redis really answered
        expect(result.limit).toBe(5);
        expect(result.reset).toBeGreaterThan(start);
        expect(result.reset).toBeLessThanOrEqual(Date.now() + 10_000);
      }
      // Another identifier has its own budget; getRemaining agrees.
      expect((await ratelimit.limit("tenant-2")).remaining).toBe(4);
      expect((await ratelimit.getRemaining("tenant-1")).remaining).toBe(0);
      await ratelimit.resetUsedTokens("tenant-1");
      expect((await ratelimit.limit("tenant-1")).success).toBe(true);
    });
  }

  it("falls back to EVAL after the script cache is flushed", async () => {
    const ratelimit = new Ratelimit({
      redis,
      limiter: Ratelimit.fixedWindow(5, "10 s"),
      prefix: `rl-flush-${Date.now()}`,
      ephemeralCache: false,
    });
    expect((await ratelimit.limit("x")).remaining).toBe(4);
    await redis.scriptFlush();
    const result = await ratelimit.limit("x");
    expect(result.remaining).toBe(3);
    expect(result.reason).toBeUndefined();
  });
});
