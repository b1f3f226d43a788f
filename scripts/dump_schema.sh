#!/usr/bin/env bash
# Prints the normalised schema-only dump of schema claude in the database at
# $1: what schema/claude.sql holds (`make schema` writes it; `make test`
# compares a fresh deploy with it). Normalised so that the same schema always
# gives the same bytes: a fixed \restrict key, no pg_dump version lines, and
# without the activity feed's monthly partitions (activity_feed_pYYYY_MM):
# which months exist depends on the day of the deploy, not on the schema.
set -euo pipefail
"${PG_BIN:-/usr/lib/postgresql/15/bin}/pg_dump" --schema-only --schema=claude \
    --exclude-table='claude.activity_feed_p[0-9]*' --restrict-key=buildtracker "$1" \
  | sed -e '/^-- Dumped from database version/d' -e '/^-- Dumped by pg_dump version/d'
