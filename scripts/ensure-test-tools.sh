#!/usr/bin/env bash
# Makes sure the browser tests can run: Debian's Chromium at /usr/bin/chromium (the Playwright
# browser download is never used). Installs it with apt-get as root; otherwise names it and stops.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
  echo "ensure-test-tools: installing Debian's chromium package for the browser tests"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
  exit 0
fi
echo "ensure-test-tools: /usr/bin/chromium is missing; install the Debian package 'chromium'" >&2
echo "  (sudo apt-get install chromium), then run the tests again." >&2
exit 1
