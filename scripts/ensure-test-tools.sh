#!/usr/bin/env bash
# Makes sure every suite can run with the real clients it needs, nobody's mocks: Debian's Chromium at
# /usr/bin/chromium (the Playwright browser download is never used) and python3-slixmpp (an XMPP
# client). Installs what is missing with apt-get as root; otherwise names the packages and stops.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import slixmpp' 2> /dev/null || missing+=(python3-slixmpp)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
  echo "ensure-test-tools: installing Debian packages the tests need: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  exit 0
fi
echo "ensure-test-tools: missing Debian packages: ${missing[*]}" >&2
echo "  (sudo apt-get install ${missing[*]}), then run the tests again." >&2
exit 1
