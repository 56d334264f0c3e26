#!/bin/sh
# debian.sh PACKAGE WHAT HINT: install Debian's PACKAGE with apt-get (as
# root), or fail saying what needs it and HINT.
set -e
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing Debian's $1 for $2…"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "$1" >/dev/null
	exit 0
fi
echo "$1 is missing ($2 need it): install Debian's $1 package (apt-get install $1)$3" >&2
exit 1
