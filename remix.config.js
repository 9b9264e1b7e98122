/**
 * Remix classic compiler. Every v3 future flag the classic compiler knows is on;
 * `v3_routeConfig` exists only for the Vite plugin, so it cannot be set here.
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  // The DuckDB native addon must be loaded from node_modules, never bundled.
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
};
