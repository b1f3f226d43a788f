"""``make demo``: show what the package installed in the database."""

from __future__ import annotations

import argparse
import os

import psycopg

SCHEMA_SUMMARY = """
SELECT c.relname AS table_name,
       (SELECT count(*) FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       (SELECT count(*) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c') AS checks,
       (SELECT count(*) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f') AS foreign_keys,
       (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid) AS indexes,
       (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers,
       obj_description(c.oid, 'pg_class') AS purpose
  FROM pg_class c
 WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind = 'r'
 ORDER BY c.relname
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    with psycopg.connect(args.database_url) as conn:
        rows = conn.execute(SCHEMA_SUMMARY).fetchall()
        functions = conn.execute(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = 'claude'::regnamespace"
        ).fetchone()
    print("buildtracker: schema claude is installed\n")
    header = f"{'table':<15}{'cols':>5}{'checks':>7}{'fks':>5}{'idx':>5}{'trg':>5}  purpose"
    print(header)
    print("-" * len(header))
    for name, cols, checks, fks, idx, trg, purpose in rows:
        print(f"{name:<15}{cols:>5}{checks:>7}{fks:>5}{idx:>5}{trg:>5}  {purpose or ''}")
    print(f"\n{functions[0] if functions else 0} function(s) in schema claude")


if __name__ == "__main__":
    main()
