#!/usr/bin/env bash
# Makes sure every suite can run with the real parts it needs, nobody's mocks: Debian's Chromium at
# /usr/bin/chromium (the Playwright browser download is never used), python3-slixmpp (an XMPP
# client), Redis (redis-server, answering on 127.0.0.1:6379; the cluster's bus tests, and each
# test that restarts Redis starts its own) and PostgreSQL (127.0.0.1:5432 with trust for local
# connections and a database `test`; the PostgreSQL store's tests make their own schemas in it),
# sipp and baresip (SIP), iproute2, Avahi and python3-zeroconf (serverless mode, in network
# namespaces the tests make). Installs what is missing with apt-get as root and starts what does not answer; otherwise names the
# packages and stops.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import slixmpp' 2> /dev/null || missing+=(python3-slixmpp)
command -v redis-server > /dev/null || missing+=(redis-server)
command -v pg_ctlcluster > /dev/null || missing+=(postgresql)
command -v sipp > /dev/null || missing+=(sip-tester)
command -v baresip > /dev/null || missing+=(baresip)
# Serverless tests: network namespaces (ip), Avahi and python3-zeroconf as link-local peers. Avahi's
# daemon is only ever started by the tests, inside their namespaces.
command -v ip > /dev/null || missing+=(iproute2)
command -v avahi-daemon > /dev/null || missing+=(avahi-daemon)
command -v avahi-publish > /dev/null || missing+=(avahi-utils)
command -v dbus-daemon > /dev/null || missing+=(dbus-daemon)
/usr/bin/python3 -c 'import zeroconf' 2> /dev/null || missing+=(python3-zeroconf)

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

# Waits up to 10 s for `check` to succeed.
wait_for() {
  for _ in $(seq 100); do
    "$@" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

# Redis on 127.0.0.1:6379: started (loopback only, nothing saved) when it does not answer.
if ! redis-cli -h 127.0.0.1 -p 6379 ping > /dev/null 2>&1; then
  echo "ensure-test-tools: starting redis-server on 127.0.0.1:6379"
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes > /dev/null
  wait_for redis-cli -h 127.0.0.1 -p 6379 ping || {
    echo "ensure-test-tools: redis-server did not answer on 127.0.0.1:6379" >&2
    exit 1
  }
fi

# PostgreSQL on 127.0.0.1:5432 with the database `test`, reachable as postgres without a password
# from this machine only (a test machine's setting: a line `host all all 127.0.0.1/32 trust`).
pg_test() { psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1'; }
if ! pg_test > /dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "ensure-test-tools: PostgreSQL does not answer on 127.0.0.1:5432 as postgres, database test;" >&2
    echo "  start it and allow local connections (see scripts/ensure-test-tools.sh), then run again." >&2
    exit 1
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  grep -q '^host all all 127.0.0.1/32 trust' "$hba" || sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  echo "ensure-test-tools: starting PostgreSQL $version on 127.0.0.1:5432"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2> /dev/null ||
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  wait_for pg_isready -h 127.0.0.1 -p 5432
  su postgres -c "psql -Atc \"select 1 from pg_database where datname = 'test'\"" | grep -q 1 ||
    su postgres -c 'createdb test'
  wait_for pg_test || {
    echo "ensure-test-tools: PostgreSQL does not answer on 127.0.0.1:5432" >&2
    exit 1
  }
fi
