// Framework resolves `npm:` imports in the browser (from the npm cache `npm run build` fills); TypeScript has no
// types for those specifiers, so they are typed loosely here. Pages pass plain data; see each component's docs.
declare module "npm:*";
