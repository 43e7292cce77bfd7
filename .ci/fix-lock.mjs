// Repairs package-lock.json for `npm ci` on other platforms' optional packages.
//
// The npm registry reachable here serves only the linux-x64 builds of platform packages (@rollup/rollup-*,
// @duckdb/node-bindings-*, ...), so `npm install` writes a lock without the other platforms' optional entries,
// and `npm ci` then refuses the lock ("Missing: @rollup/rollup-darwin-x64@ from lock file"). This adds, for every
// optional dependency missing from the lock, an entry with its version and the os/cpu/libc read from its name;
// npm skips it on a platform that does not match, and fetches it by version on one that does. Entries survive
// later `npm install` runs; rerun this after regenerating the lock from scratch:
//   flock /tmp/npm.lock node .ci/fix-lock.mjs package-lock.json
import {readFileSync, writeFileSync} from "node:fs";

const OSES = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "openharmony", "netbsd", "sunos", "aix"];
const CPUS = ["x64", "arm64", "ia32", "arm", "loong64", "ppc64", "riscv64", "s390x"];

const lockPath = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path === "" ? "" : `${path}/`}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const parts = name.split("/").pop().split("-");
    const os = parts.find((p) => OSES.includes(p));
    if (!os) throw new Error(`${name} (optional dependency of ${path || "the root"}): no platform in its name; add its lock entry by hand`);
    const cpu = parts.find((p) => CPUS.includes(p));
    const libc = parts.some((p) => p.startsWith("musl")) ? "musl" : os === "linux" ? "glibc" : undefined;
    packages[`node_modules/${name}`] = {version, optional: true, os: [os], ...(cpu && {cpu: [cpu]}), ...(libc && {libc: [libc]})};
    added++;
  }
}
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${lockPath}: added ${added} optional platform entr${added === 1 ? "y" : "ies"}`);
