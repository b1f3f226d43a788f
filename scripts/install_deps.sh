#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing:
# pgTAP, pg_prove, sqitch and plpgsql_check for PostgreSQL 15. Idempotent.
set -euo pipefail
EXT=/usr/share/postgresql/15/extension
missing=()
command -v psql >/dev/null || missing+=(postgresql-client-15)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
[ -f "$EXT/pgtap.control" ] || missing+=(postgresql-15-pgtap)
command -v pg_prove >/dev/null || missing+=(libtap-parser-sourcehandler-pgtap-perl)
command -v sqitch >/dev/null || missing+=(sqitch)
[ -f "$EXT/plpgsql_check.control" ] || missing+=(postgresql-15-plpgsql-check)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "install_deps: missing packages ${missing[*]} and no root or passwordless sudo to install them." >&2
  echo "  Ask an administrator: apt-get install ${missing[*]}" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
