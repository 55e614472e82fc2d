#!/usr/bin/env node
// Runs the proxy's jar with a Java 21 or newer: JAVA_HOME first, then `java` on the PATH, then the usual JDK folders.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const MIN_JAVA = 21;
const JAR = path.join(__dirname, '..', 'lib', 'claude-code-ollama-proxy.jar');
const EXE = process.platform === 'win32' ? 'java.exe' : 'java';

function javaMajor(java) {
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 15000 });
  if (probe.error || probe.status !== 0) return 0;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`);
  if (!match) return 0;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first; // "1.8.0" is Java 8
}

function subfolders(dir, suffix = '') {
  try {
    return fs.readdirSync(dir).map((name) => path.join(dir, name, suffix));
  } catch {
    return [];
  }
}

function candidates() {
  const found = [];
  if (process.env.JAVA_HOME) found.push(path.join(process.env.JAVA_HOME, 'bin', EXE));
  found.push(EXE); // on the PATH
  const homes = [
    ...subfolders('/usr/lib/jvm'),
    ...subfolders('/usr/local/lib/jvm'),
    ...subfolders('/opt/java'),
    ...subfolders('/Library/Java/JavaVirtualMachines', 'Contents/Home'),
    ...subfolders(path.join(os.homedir(), '.sdkman', 'candidates', 'java')),
    ...subfolders(path.join(os.homedir(), '.jdks')),
    ...subfolders('C:\\Program Files\\Java'),
    ...subfolders('C:\\Program Files\\Eclipse Adoptium'),
    ...subfolders('C:\\Program Files\\Microsoft'),
  ];
  for (const home of homes) found.push(path.join(home, 'bin', EXE));
  return found;
}

function findJava() {
  const tried = [];
  for (const java of candidates()) {
    if (java !== EXE && !fs.existsSync(java)) continue;
    const major = javaMajor(java);
    if (major >= MIN_JAVA) return { java };
    if (major > 0) tried.push(`${java} (Java ${major})`);
  }
  return { tried };
}

function explainMissingJava(tried) {
  const lines = [
    `claude-code-ollama-proxy needs Java ${MIN_JAVA} or newer, and found none.`,
    tried.length ? `Found, but too old: ${tried.join(', ')}.` : 'Found no Java at all (JAVA_HOME, PATH, the usual JDK folders).',
    'Install one, then run this again:',
    '  Debian/Ubuntu:  sudo apt install openjdk-21-jre-headless',
    '  Fedora:         sudo dnf install java-21-openjdk-headless',
    '  macOS:          brew install openjdk@21',
    '  Windows:        winget install EclipseAdoptium.Temurin.21.JRE',
    '  anywhere:       https://adoptium.net (Temurin 21 or newer)',
    'or point JAVA_HOME at a JDK 21+ you already have.',
  ];
  console.error(lines.join('\n'));
}

const { java, tried } = findJava();
if (!java) {
  explainMissingJava(tried);
  process.exit(1);
}
if (!fs.existsSync(JAR)) {
  console.error(`claude-code-ollama-proxy: the package is missing its jar (${JAR}); reinstall it.`);
  process.exit(1);
}
const javaOpts = (process.env.JAVA_OPTS || '').split(/\s+/).filter(Boolean);
const child = spawn(java, [...javaOpts, '-jar', JAR, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal)); // the proxy drains its streams, then exits
}
child.on('exit', (code, signal) => process.exit(code === null ? (signal === 'SIGTERM' ? 0 : 1) : code));
