#!/usr/bin/env node
// Runs generator-k8s-app without a global `yo`, as any user (yo itself refuses to run as root).
//   k8s-app [app|service|docker|kubernetes] [options]
import module from 'node:module';

// Checked before anything loads: on an older Node it fails with errors that do not say why.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18) || (major > 22 && major < 24) || (major === 24 && minor < 11)) {
  console.error(`k8s-app needs Node.js ^22.18 or >=24.11; this is ${process.version}. Install a current Node.js LTS and run it again.`);
  process.exit(1);
}

// V8's compiled code of the modules loaded from here on (yeoman's hundreds among them) is kept on disk
// by Node (in the temporary folder, or NODE_COMPILE_CACHE): later runs start without compiling them.
module.enableCompileCache();

// Once built, the command line and (loaded only to generate) our generators with yeoman are a few
// bundled files (tools/bundle.ts), which Node loads several times faster than their modules one by
// one. From source, the modules themselves.
await import(import.meta.url.endsWith('.ts') ? './cli.ts' : './bundle/cli.js');
