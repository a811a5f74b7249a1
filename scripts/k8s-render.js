#!/usr/bin/env node
/**
 * Renders k8s/ from the Helm chart, the one source of the Kubernetes objects (npm run k8s:render).
 *   k8s/deployment.yaml   every object of the default profile (values.yaml), no namespace, so the
 *                         guide's `kubectl apply -f k8s/deployment.yaml -n <namespace>` works as written
 *   k8s/staging/          values-staging.yaml, one file per template
 *   k8s/production/       values-production.yaml, one file per template
 * --check: render in memory and fail listing every file that differs from the committed one (CI).
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const chart = 'helm/compliance-service';
const release = 'compliance-service';
const { helmBinary } = require('./helm-binary');

const PROFILES = [
  { values: null, file: 'k8s/deployment.yaml' },
  { values: `${chart}/values-staging.yaml`, dir: 'k8s/staging' },
  { values: `${chart}/values-production.yaml`, dir: 'k8s/production' },
];

function header(values) {
  return [
    `# Rendered from ${chart} (${values ?? 'default values'}) by \`npm run k8s:render\`.`,
    '# Do not edit: change the chart, re-render, commit both. CI fails when this file differs.',
    '',
  ].join('\n');
}

function helmTemplate(values) {
  const helm = helmBinary();
  const args = ['template', release, chart, ...(values ? ['-f', values] : [])];
  return execFileSync(helm, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Splits helm's stream into one text per template file, named after its `# Source:` line. */
function splitBySource(rendered) {
  const files = new Map();
  for (const document of rendered.split(/^---\n/m)) {
    const source = /^# Source: [^/]+\/templates\/(.+\.yaml)$/m.exec(document);
    if (!source) continue;
    const name = source[1];
    files.set(name, `${files.get(name) ?? ''}---\n${document}`);
  }
  return files;
}

/** Every file the chart renders to, path relative to the repository -> content. */
function renderAll() {
  const out = new Map();
  for (const profile of PROFILES) {
    const rendered = helmTemplate(profile.values);
    if (profile.file) {
      out.set(profile.file, header(profile.values) + rendered);
      continue;
    }
    for (const [name, text] of splitBySource(rendered)) {
      out.set(`${profile.dir}/${name}`, header(profile.values) + text);
    }
  }
  return out;
}

function committedFiles() {
  const files = new Set();
  for (const profile of PROFILES) {
    if (profile.file) {
      if (fs.existsSync(path.join(root, profile.file))) files.add(profile.file);
    } else if (fs.existsSync(path.join(root, profile.dir))) {
      for (const name of fs.readdirSync(path.join(root, profile.dir))) files.add(`${profile.dir}/${name}`);
    }
  }
  return files;
}

function main() {
  try {
    helmBinary();
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
    return;
  }
  const check = process.argv.includes('--check');
  const rendered = renderAll();
  const existing = committedFiles();
  const stale = [...existing].filter((file) => !rendered.has(file));
  const changed = [...rendered].filter(([file, text]) => !existing.has(file) || fs.readFileSync(path.join(root, file), 'utf8') !== text).map(([file]) => file);
  if (check) {
    if (stale.length + changed.length === 0) {
      console.log(`k8s/ is up to date with ${chart} (${rendered.size} files)`);
      return;
    }
    console.error(`k8s/ differs from ${chart}; run \`npm run k8s:render\` and commit:`);
    for (const file of changed) console.error(`  changed: ${file}`);
    for (const file of stale) console.error(`  not rendered by the chart: ${file}`);
    process.exitCode = 1;
    return;
  }
  for (const file of stale) fs.rmSync(path.join(root, file));
  for (const [file, text] of rendered) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  console.log(`rendered ${rendered.size} files (${changed.length} changed, ${stale.length} removed)`);
}

main();
