#!/usr/bin/env bash
# Make sure a Chromium exists for the browser tests (tests/integration/test_browser.py).
# Idempotent, and never fails the caller: when no browser can be installed it says why and exits 0,
# and the browser tests then skip with that reason. The browser comes from the OS packages;
# Playwright never downloads one.
set -euo pipefail

for candidate in "${ECAP_CHROMIUM:-}" /usr/bin/chromium; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
        exit 0
    fi
done
if [ "$(id -u)" -ne 0 ]; then
    echo "install_browser: no Chromium at ${ECAP_CHROMIUM:-/usr/bin/chromium}, and installing it needs root (apt-get install chromium)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: no Chromium at ${ECAP_CHROMIUM:-/usr/bin/chromium}, and there is no apt-get to install it with"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh image has no package lists: refresh them once if the first attempt cannot find the package.
if apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; }; then
    echo "install_browser: installed chromium with apt-get"
else
    echo "install_browser: apt-get could not install chromium (no network or no package source?)"
fi
exit 0
