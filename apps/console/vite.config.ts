import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The console is served by `sibyl serve` at /console, so every asset URL is built under that base. */
export default defineConfig({
  base: "/console/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: {
    // `vite` (development) talks to a server started with `pnpm sibyl serve` on the default port.
    proxy: { "/v1": "http://127.0.0.1:8080" },
  },
});
