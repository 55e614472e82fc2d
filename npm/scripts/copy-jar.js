#!/usr/bin/env node
// Before `npm pack` / `npm publish`: puts the proxy's jar (built by `./mvnw package` in the repository) into lib/.
'use strict';
const fs = require('fs');
const path = require('path');

const built = path.join(__dirname, '..', '..', 'target', 'claude-code-ollama-proxy.jar');
const packed = path.join(__dirname, '..', 'lib', 'claude-code-ollama-proxy.jar');
if (fs.existsSync(built)) {
  fs.mkdirSync(path.dirname(packed), { recursive: true });
  fs.copyFileSync(built, packed);
} else if (!fs.existsSync(packed)) {
  console.error('No jar to pack: run `./mvnw -DskipTests package` in the repository first.');
  process.exit(1);
}
