// Component tests: each starts from an empty page, an empty session storage and the console's root URL.
import { cleanup, configure } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import { FakeUPlot } from "./fake-uplot.js";

// findBy/waitFor give up after 1 s by default, which a loaded 2-core CI machine can exceed while rendering a
// generated form; the longer bound only guards against hangs, it asserts nothing about speed.
configure({ asyncUtilTimeout: 15_000 });

vi.mock("uplot", () => ({ default: FakeUPlot }));

// jsdom lays nothing out, so nothing is ever resized.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// jsdom's Blob predates Blob.text(), which every browser the console supports has.
if (typeof Blob.prototype.text !== "function") {
  Blob.prototype.text = function text(this: Blob) {
    return new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error);
      reader.readAsText(this);
    });
  };
}

beforeEach(() => {
  window.history.replaceState(null, "", "/console/");
  FakeUPlot.instances = [];
});

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});
