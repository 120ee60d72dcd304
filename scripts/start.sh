#!/usr/bin/env bash
# `npm start`: from a fresh clone to a running engine and an open dashboard.
# On a desktop with Electron it opens the app window; where no Electron binary
# can run (headless Linux, CI) it serves the same UI with `wharf dashboard`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run -s vm:build
npm run -s build:renderer
node bin/wharf.mjs start
if [[ -z "${WHARF_NO_ELECTRON:-}" ]] && node -e "require('fs').accessSync(require('electron'))" 2>/dev/null; then
  npx electron-vite build && exec npx electron-vite preview
fi
exec node bin/wharf.mjs dashboard
