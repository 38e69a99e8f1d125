#!/usr/bin/env bash
# Installs what the real-VS-Code integration tests need (recipe: shared/spec/vscode-real-host.md §1):
#   * Debian packages (only the missing ones): build-essential python3 libkrb5-dev ripgrep chromium
#     fonts-dejavu-core
#   * code-server 4.100.3 (= VS Code 1.100.3 server + web workbench) into $CACHE/code-server
#   * playwright-core 1.65.1 + mocha 11.7.5 into $CACHE/driver
# $CACHE is <repo>/.vscode-test (git-ignored), or $DTAB_E2E_CACHE when set (e.g. a folder outside
# the clone, to share one install between clones).
#
# Idempotent: each part writes a marker file holding its version stamp when (and only when) it
# finished; a later run with the marker in place checks a few files and returns in well under a
# second. A part without its marker is installed again from scratch. Concurrent runs are serialised
# with flock. Needs root (or sudo) only when Debian packages are missing.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
MOCHA_VERSION=11.7.5
DEB_PACKAGES=(build-essential python3 libkrb5-dev ripgrep chromium fonts-dejavu-core)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CACHE="${DTAB_E2E_CACHE:-$ROOT/.vscode-test}"
CS_PREFIX="$CACHE/code-server"
DRIVER="$CACHE/driver"
CS_STAMP="code-server@$CODE_SERVER_VERSION node@$(node -p 'process.versions.modules')"
DRIVER_STAMP="playwright-core@$PLAYWRIGHT_VERSION mocha@$MOCHA_VERSION"

log() { printf '[e2e setup] %s\n' "$*"; }
t0=$(date +%s)

mkdir -p "$CACHE"
exec 9>"$CACHE/.setup.lock"
flock 9

# ---- 1. Debian packages -------------------------------------------------------------------------
# Another apt-get or dpkg (another clone's setup, unattended upgrades) may hold apt's locks: wait for
# them, up to APT_LOCK_WAIT seconds. `apt-get install` waits for the dpkg lock itself
# (DPkg::Lock::Timeout), but `apt-get update` fails at once on /var/lib/apt/lists/lock (apt 2.6
# ignores the timeout there), so a run that failed on a lock is tried again until the deadline.
APT_LOCK_WAIT="${APT_LOCK_WAIT:-600}"
apt_get() {
  local deadline=$(($(date +%s) + APT_LOCK_WAIT)) out rc
  out="$(mktemp)"
  while :; do
    rc=0
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" "$@" 2>&1 | tee "$out" || rc=$?
    if ((rc == 0)) || ! grep -q 'Could not get lock' "$out" || (($(date +%s) >= deadline)); then
      rm -f "$out"
      return "$rc"
    fi
    log "another apt-get or dpkg holds a lock (apt-get $*); trying again in 5 s"
    sleep 5
  done
}
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
missing=()
for p in "${DEB_PACKAGES[@]}"; do deb_installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "missing Debian packages (${missing[*]}) and not root, no sudo"; exit 1; }
    SUDO=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  apt_get -q update
  apt_get install -q -y --no-upgrade -o Dpkg::Use-Pty=0 "${missing[@]}"
else
  log "Debian packages present: ${DEB_PACKAGES[*]}"
fi
for c in chromium rg make g++ python3; do
  command -v "$c" >/dev/null || { log "still missing after install: $c"; exit 1; }
done

# Native modules are built against this Node's own headers, never downloaded ones.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_version.h ] \
  && [ "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")" = /usr ]; then
  export npm_config_nodedir=/usr
fi
NPM_FLAGS=(--no-audit --no-fund --loglevel=error)

# ---- 2. code-server -----------------------------------------------------------------------------
cs_ok() {
  [ "$(cat "$CS_PREFIX/.installed" 2>/dev/null)" = "$CS_STAMP" ] \
    && [ -f "$CS_PREFIX/node_modules/code-server/out/node/entry.js" ] \
    && [ -x "$CS_PREFIX/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]
}
if cs_ok; then
  log "code-server $CODE_SERVER_VERSION present in $CS_PREFIX"
else
  t1=$(date +%s)
  log "installing code-server $CODE_SERVER_VERSION into $CS_PREFIX"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  cd "$CS_PREFIX"
  echo '{"name":"cs-host","private":true}' >package.json
  # --ignore-scripts: code-server's postinstall.sh would run `npm install` in lib/vscode, where
  # @vscode/ripgrep's postinstall downloads rg from GitHub (fails offline). The steps below are
  # what postinstall.sh does, minus that download (Debian's ripgrep 13.0.0 is the same version).
  log "npm install code-server@$CODE_SERVER_VERSION (--ignore-scripts)"
  npm install --ignore-scripts "${NPM_FLAGS[@]}" "code-server@$CODE_SERVER_VERSION"
  log "npm rebuild argon2 (builds from source when its prebuilt download fails)"
  npm rebuild "${NPM_FLAGS[@]}" argon2
  cd node_modules/code-server/lib/vscode
  log "lib/vscode: npm install --omit=dev --ignore-scripts"
  npm install --omit=dev --ignore-scripts "${NPM_FLAGS[@]}"
  log "lib/vscode: npm rebuild kerberos node-pty @vscode/spdlog @vscode/deviceid native-watchdog (node-gyp)"
  # --yes: node-pty's postinstall runs `npx node-gyp ...`; an npmrc with yes=false makes npx refuse.
  npm rebuild --yes "${NPM_FLAGS[@]}" kerberos node-pty @vscode/spdlog @vscode/deviceid native-watchdog
  log "lib/vscode: ripgrep from Debian, symlinks"
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  log "lib/vscode/extensions: npm install --omit=dev"
  # (its postinstall lists every file it prunes from typescript: dropped from the output)
  (cd extensions && npm install --omit=dev "${NPM_FLAGS[@]}") | { grep -v '^[Rr]emoved ' || true; }
  # --config /dev/null: otherwise the first run writes ~/.config/code-server/config.yaml.
  version="$(node "$CS_PREFIX/node_modules/code-server/out/node/entry.js" --config /dev/null --version)"
  log "code-server --version: $version"
  case "$version" in "$CODE_SERVER_VERSION "*) ;; *) log "unexpected version"; exit 1 ;; esac
  echo "$CS_STAMP" >"$CS_PREFIX/.installed"
  log "code-server installed in $(($(date +%s) - t1)) s"
fi

# ---- 3. driver: playwright-core + mocha ---------------------------------------------------------
driver_ok() {
  [ "$(cat "$DRIVER/.installed" 2>/dev/null)" = "$DRIVER_STAMP" ] \
    && [ -f "$DRIVER/node_modules/playwright-core/package.json" ] \
    && [ -f "$DRIVER/node_modules/mocha/package.json" ]
}
if driver_ok; then
  log "driver ($DRIVER_STAMP) present in $DRIVER"
else
  t1=$(date +%s)
  log "installing $DRIVER_STAMP into $DRIVER"
  rm -rf "$DRIVER"
  mkdir -p "$DRIVER"
  cd "$DRIVER"
  cat >package.json <<EOF
{
  "name": "dtab-e2e-driver",
  "private": true,
  "description": "Driver for the real-VS-Code integration tests (installed by test/e2e/host/setup.sh)",
  "dependencies": {
    "playwright-core": "$PLAYWRIGHT_VERSION",
    "mocha": "$MOCHA_VERSION"
  }
}
EOF
  npm install "${NPM_FLAGS[@]}"
  echo "$DRIVER_STAMP" >"$DRIVER/.installed"
  log "driver installed in $(($(date +%s) - t1)) s"
fi

log "ready in $(($(date +%s) - t0)) s"
