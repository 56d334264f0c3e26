#!/bin/sh
# Make sure PostgreSQL's server binaries are there for the ledger tests:
# Debian's package, installed with apt-get when missing. The tests start a
# throw-away cluster of their own (internal/pgtest) and fail, never skip,
# without it.
set -e
[ -n "$REDLINE_PG_BIN" ] && [ -x "$REDLINE_PG_BIN/initdb" ] && exit 0
for b in /usr/lib/postgresql/*/bin/initdb; do
	[ -x "$b" ] && exit 0
done
exec sh "$(dirname "$0")/debian.sh" postgresql "the ledger tests" " or set REDLINE_PG_BIN to the directory of initdb"
