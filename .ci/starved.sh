#!/bin/sh
# Runs the whole suite on CPU 0 alone, with GOMAXPROCS=1, while two busy
# loops compete for that same CPU: the machine a test must never depend on
# being faster than. Used by `make starved`; too slow for every CI run.
set -e
busy() { taskset -c 0 sh -c 'while :; do :; done' & }
busy; b1=$!
busy; b2=$!
trap 'kill $b1 $b2 2>/dev/null' EXIT INT TERM
GOMAXPROCS=1 taskset -c 0 make -s test
