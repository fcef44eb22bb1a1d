#!/usr/bin/env bash
# Makes sure every suite can run with the real parts it needs, nobody's mocks: Debian's Chromium at
# /usr/bin/chromium (the Playwright browser download is never used), python3-slixmpp (an XMPP
# client) and Redis (redis-server, answering on 127.0.0.1:6379; the cluster's bus tests, and each
# test that restarts Redis starts its own). Installs what is missing with apt-get as root and starts
# Redis when it does not answer; otherwise names the packages and stops.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import slixmpp' 2> /dev/null || missing+=(python3-slixmpp)
command -v redis-server > /dev/null || missing+=(redis-server)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
    echo "ensure-test-tools: installing Debian packages the tests need: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "ensure-test-tools: missing Debian packages: ${missing[*]}" >&2
    echo "  (sudo apt-get install ${missing[*]}), then run the tests again." >&2
    exit 1
  fi
fi

# Redis on 127.0.0.1:6379: started (loopback only, nothing saved) when it does not answer.
if ! redis-cli -h 127.0.0.1 -p 6379 ping > /dev/null 2>&1; then
  echo "ensure-test-tools: starting redis-server on 127.0.0.1:6379"
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes > /dev/null
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p 6379 ping > /dev/null 2>&1 && exit 0
    sleep 0.1
  done
  echo "ensure-test-tools: redis-server did not answer on 127.0.0.1:6379" >&2
  exit 1
fi
