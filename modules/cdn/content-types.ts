/**
 * File extension -> Content-Type, used by StaticSite uploads and the local
 * dev server (one table, so both serve the same headers). Plain data.
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".webmanifest": "application/manifest+json",
};

export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf(".");
  return (dot >= 0 && CONTENT_TYPES[file.slice(dot).toLowerCase()]) || DEFAULT_CONTENT_TYPE;
}

/** Assets whose names carry a content hash (esbuild: `app.5KZMLKO4.js`) never change: cache them for a year. */
export const HASHED_ASSET = /\.(?:[A-Z0-9]{8}|[0-9a-f]{8,})\.[a-z0-9]+$/;
export const CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
export const CACHE_NO_CACHE = "no-cache";

/** Cache-Control for a site file: hashed assets immutable, everything else (index.html, config.json) revalidated. */
export function cacheControlOf(file: string): string {
  return HASHED_ASSET.test(file) ? CACHE_IMMUTABLE : CACHE_NO_CACHE;
}
