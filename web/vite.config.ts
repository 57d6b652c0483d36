import { defineConfig } from "vitest/config";

// base "./": every asset URL and every fetch is relative to the page, so the same build works
// at "/" and under `heron serve --path_prefix /anything`.
export default defineConfig({
  base: "./",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "../src/heron/_web",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npm run dev` against a running `heron serve` on the default port.
    proxy: { "/data": "http://localhost:6006", "/api": "http://localhost:6006" },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
