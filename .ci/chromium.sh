#!/bin/sh
# Make sure a headless Chromium is there for the page tests: Debian's
# package, installed with apt-get when missing. The tests fail (never skip)
# without it.
set -e
for b in "$REDLINE_CHROMIUM" chromium chromium-browser; do
	[ -n "$b" ] && command -v "$b" >/dev/null 2>&1 && exit 0
done
exec sh "$(dirname "$0")/debian.sh" chromium "the page tests" " or set REDLINE_CHROMIUM"
