/**
 * Network guard for the site build, preloaded into Observable Framework and its data loaders with
 * `node --import` (through NODE_OPTIONS, so loader child processes inherit it).
 *
 * Framework silently falls back to its CDN, the npm registry or DuckDB's extension host whenever its cache lacks
 * a file; none of them is reachable on a fresh machine here. This guard turns every such attempt into a loud,
 * named failure: it throws from `fetch` (and from http/https requests) for any host but loopback, prints what
 * was asked for and what to do, and forces a non-zero exit code even if the caller swallowed the error.
 *
 * Plain JavaScript because it is loaded before any TypeScript loader is registered.
 */
import http from "node:http";
import https from "node:https";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const blocked = [];

function refuse(href) {
  blocked.push(href);
  const message =
    `benchlab offline build: blocked a network request to ${href}. ` +
    "The site must build from node_modules alone: add the package to BROWSER_PACKAGES in " +
    "data-loaders/site/npm-cache.ts (and pin it in package.json), or turn the download off in observablehq.config.ts.";
  console.error(message);
  process.exitCode = 1;
  return new Error(message);
}

function isAllowed(url) {
  return url.protocol === "data:" || url.protocol === "file:" || url.protocol === "blob:" || LOOPBACK.has(url.hostname);
}

const realFetch = globalThis.fetch;
globalThis.fetch = async function guardedFetch(input, init) {
  const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const url = new URL(href);
  if (!isAllowed(url)) throw refuse(url.href);
  return realFetch(input, init);
};

for (const [module, protocol] of [[http, "http:"], [https, "https:"]]) {
  for (const method of ["request", "get"]) {
    const real = module[method];
    module[method] = function guardedRequest(target, ...rest) {
      const url =
        typeof target === "string" || target instanceof URL
          ? new URL(target)
          : new URL(`${protocol}//${target?.hostname ?? target?.host ?? "localhost"}`);
      if (!isAllowed(url)) throw refuse(url.href);
      return real.call(this, target, ...rest);
    };
  }
}

process.on("exit", (code) => {
  if (blocked.length > 0 && code === 0) process.exitCode = 1;
});
