#!/usr/bin/env bash
# Prints the normalised schema-only dump of schema claude in the database at
# $1: what schema/claude.sql holds (`make schema` writes it; `make test`
# compares a fresh deploy with it). Normalised so that the same schema always
# gives the same bytes: a fixed \restrict key, no pg_dump version lines.
set -euo pipefail
"${PG_BIN:-/usr/lib/postgresql/15/bin}/pg_dump" --schema-only --schema=claude \
    --restrict-key=buildtracker "$1" \
  | sed -e '/^-- Dumped from database version/d' -e '/^-- Dumped by pg_dump version/d'
