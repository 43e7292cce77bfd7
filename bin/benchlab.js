#!/usr/bin/env node
// Entry point of `npx benchlab`: registers tsx so the TypeScript CLI (and users' .ts scorer plugins) load on Node 20.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../data-loaders/cli.ts");
await main(process.argv);
