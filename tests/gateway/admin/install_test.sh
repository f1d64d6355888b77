#!/usr/bin/env bash
# admin_install_layout: `cmake --install BUILD --prefix TMP` lays out every file, the
# installed unit passes `systemd-analyze verify` with no output, and the installed jtgw
# accepts the installed example config.
# admin_unit_verify: samples/jtgw.service itself passes `systemd-analyze verify` (with
# ExecStart pointed at the built jtgw, since /usr/local/bin/jtgw need not exist here).
set -euo pipefail
mode=$1 build=$2 source=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

verify_unit() {  # a clean verify prints nothing at all
  local out
  out=$(systemd-analyze verify "$1" 2>&1) || { echo "systemd-analyze verify failed: $out"; exit 1; }
  [[ -z $out ]] || { echo "systemd-analyze verify is not clean: $out"; exit 1; }
}

case $mode in
unit)
  sed -e "s|/usr/local/bin/jtgw|$build/gateway/jtgw|g" "$source/samples/jtgw.service" > "$tmp/jtgw.service"
  verify_unit "$tmp/jtgw.service"
  for key in 'User=jtgw' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ReadWritePaths=/var/lib/jtgw' \
             'PrivateTmp=yes' 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'RuntimeDirectory=jtgw' \
             'ExecReload=/bin/kill -HUP $MAINPID'; do
    grep -qxF -- "$key" "$tmp/jtgw.service" || grep -qF -- "$key" "$tmp/jtgw.service" || { echo "unit lacks $key"; exit 1; }
  done
  ;;
layout)
  prefix="$tmp/prefix"
  cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
  for file in bin/jtgw share/jtgw/connector-manifest/tables.json lib/systemd/system/jtgw.service \
              etc/jtgw/jtgw.toml etc/jtgw/jtgw.toml.example share/doc/jtgw/README.md; do
    [[ -f $prefix/$file ]] || { echo "missing $prefix/$file"; cat "$tmp/install.log"; exit 1; }
  done
  if [[ -d $source/gateway/portal/assets ]]; then
    [[ -n $(ls -A "$prefix/share/jtgw/portal") ]] || { echo "portal assets not installed"; exit 1; }
  fi
  [[ -x $prefix/bin/jtgw ]] || { echo "bin/jtgw is not executable"; exit 1; }
  grep -qF "ExecStart=$prefix/bin/jtgw serve --config $prefix/etc/jtgw/jtgw.toml" "$prefix/lib/systemd/system/jtgw.service" ||
    { echo "the unit does not name the installed paths"; exit 1; }
  verify_unit "$prefix/lib/systemd/system/jtgw.service"
  "$prefix/bin/jtgw" check-config "$prefix/etc/jtgw/jtgw.toml" | grep -qx OK
  grep -qF "catalog = \"$prefix/share/jtgw/connector-manifest/tables.json\"" "$prefix/etc/jtgw/jtgw.toml"
  # A second install (an upgrade) keeps the admin's config.
  echo "# edited by the admin" >> "$prefix/etc/jtgw/jtgw.toml"
  cmake --install "$build" --prefix "$prefix" > /dev/null
  grep -qF "# edited by the admin" "$prefix/etc/jtgw/jtgw.toml" || { echo "an upgrade overwrote jtgw.toml"; exit 1; }
  ;;
*) echo "usage: $0 unit|layout BUILD SOURCE"; exit 2 ;;
esac
echo "ok"
