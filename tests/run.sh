#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, configures,
# builds (ccache, -j2: a Beast+TLS unit needs ~1 GB and our machines have 2 cores)
# and runs the whole suite through ctest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${JTGW_BUILD_DIR:-$root/build}

"$root/install-deps.sh"
# ccache keyed on paths relative to the checkout, so every clone (CI's included) shares
# one warm cache; debug info then names relative paths too, which is what we want.
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=true
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2 --timeout 600 "$@"
