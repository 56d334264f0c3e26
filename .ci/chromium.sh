#!/bin/sh
# Make sure a headless Chromium is there for the page tests: Debian's
# package, installed with apt-get when missing. The tests fail (never skip)
# without it.
set -e
for b in "$REDLINE_CHROMIUM" chromium chromium-browser; do
	[ -n "$b" ] && command -v "$b" >/dev/null 2>&1 && exit 0
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing Debian's chromium for the page tests…"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends chromium >/dev/null
	exit 0
fi
echo "chromium is missing: install Debian's chromium package (apt-get install chromium) or set REDLINE_CHROMIUM" >&2
exit 1
