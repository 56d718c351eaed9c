import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "./errors.js";
import { newEventId } from "./event-id.js";
import { type ClientOptions, resolveOptions } from "./options.js";

const base: ClientOptions = { baseUrl: "https://reco.example.com", key: "pk_1" };

describe("resolveOptions", () => {
  it("fills in the defaults and keeps a path prefix without its trailing slash", () => {
    const options = resolveOptions({ ...base, baseUrl: "https://shop.example.com/sibyl//" });
    expect(options).toMatchObject({
      baseUrl: "https://shop.example.com/sibyl",
      batchSize: 500,
      maxBatchBytes: 1 << 20,
      flushIntervalMs: 1_000,
      maxQueueSize: 10_000,
      timeoutMs: 30_000,
      retry: { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 },
    });
  });

  it.each<[string, Partial<ClientOptions>]>([
    ["key", { key: "" }],
    ["key", { key: "pk\r\nX-Injected: 1" }],
    ["baseUrl", { baseUrl: "reco.example.com" }],
    ["baseUrl", { baseUrl: "ftp://reco.example.com" }],
    ["baseUrl", { baseUrl: "https://reco.example.com/?key=pk_1" }],
    ["batchSize", { batchSize: 0 }],
    ["batchSize", { batchSize: 2.5 }],
    ["batchSize", { batchSize: 10_001 }],
    ["flushIntervalMs", { flushIntervalMs: Number.NaN }],
    ["retry.maxAttempts", { retry: { maxAttempts: 0 } }],
    ["retry.baseDelayMs", { retry: { baseDelayMs: -1 } }],
    ["retry.maxDelayMs", { retry: { baseDelayMs: 500, maxDelayMs: 100 } }],
  ])("names %s when it cannot be used", (option, override) => {
    expect(() => resolveOptions({ ...base, ...override })).toThrow(
      expect.objectContaining({ name: "ConfigError", option }),
    );
  });

  it("asks for a fetch where the runtime has none", () => {
    vi.stubGlobal("fetch", undefined);
    try {
      expect(() => resolveOptions(base)).toThrow(ConfigError);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("newEventId", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("draws version 4 UUIDs, different each time", () => {
    const ids = new Set(Array.from({ length: 1_000 }, newEventId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(uuid);
  });

  it("draws them from getRandomValues on a page without randomUUID (plain http)", () => {
    const webCrypto = globalThis.crypto;
    vi.stubGlobal("crypto", {
      getRandomValues: <T extends Uint8Array>(array: T) => webCrypto.getRandomValues(array),
    });
    const ids = new Set(Array.from({ length: 1_000 }, newEventId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(uuid);
  });
});
