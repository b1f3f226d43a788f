#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing:
# pgTAP, pg_prove, sqitch, plpgsql_check and pg_partman for PostgreSQL 15, a German
# locale (the feed's guard is tested under a translated lc_messages), and
# chromium for the dashboard's browser tests. Idempotent.
set -euo pipefail
EXT=/usr/share/postgresql/15/extension
missing=()
command -v psql >/dev/null || missing+=(postgresql-client-15)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
[ -f "$EXT/pgtap.control" ] || missing+=(postgresql-15-pgtap)
command -v pg_prove >/dev/null || missing+=(libtap-parser-sourcehandler-pgtap-perl)
command -v sqitch >/dev/null || missing+=(sqitch)
[ -f "$EXT/plpgsql_check.control" ] || missing+=(postgresql-15-plpgsql-check)
# the partitioned feed's optional maintenance by pg_partman is tested too
[ -f "$EXT/pg_partman.control" ] || missing+=(postgresql-15-partman)
[ -f /usr/share/i18n/locales/de_DE ] || missing+=(locales)
# the dashboard's browser tests (Playwright drives the system browser)
[ -x /usr/bin/chromium ] || missing+=(chromium)

make_locale() {
  # the server's lc_messages accepts a locale the C library has compiled
  locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' && return 0
  ${SUDO-} localedef -i de_DE -f UTF-8 de_DE.UTF-8
}
if [ ${#missing[@]} -eq 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
  make_locale
  exit 0
fi

echo "installing: ${missing[*]}"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "install_deps: missing packages ${missing[*]} and no root or passwordless sudo to install them." >&2
  echo "  Ask an administrator: apt-get install ${missing[*]}" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
make_locale
