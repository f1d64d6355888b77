# Runs at `cmake --install` time (install(SCRIPT)): writes the systemd unit and the
# example config with the paths of the prefix being installed to, which is only known
# then (`cmake --install BUILD --prefix DIR` may override the configured one).
# Inputs: JTGW_SOURCE_DIR (set by install(CODE) before this script).

set(prefix "${CMAKE_INSTALL_PREFIX}")
set(dest "$ENV{DESTDIR}${prefix}")
# GNUInstallDirs' rule: the /usr prefix keeps its configuration in /etc.
if(prefix STREQUAL "/usr")
  set(sysconf "/etc")
else()
  set(sysconf "${prefix}/etc")
endif()
set(sysconf_dest "$ENV{DESTDIR}${sysconf}")

# The unit: the sample names /usr/local paths; point them at this prefix.
file(READ "${JTGW_SOURCE_DIR}/samples/jtgw.service" unit)
string(REPLACE "/usr/local/bin/jtgw" "${prefix}/bin/jtgw" unit "${unit}")
string(REPLACE "/usr/local/etc/jtgw/jtgw.toml" "${sysconf}/jtgw/jtgw.toml" unit "${unit}")
string(REPLACE "/usr/local/share/doc/jtgw" "${prefix}/share/doc/jtgw" unit "${unit}")
file(WRITE "${dest}/lib/systemd/system/jtgw.service" "${unit}")
message(STATUS "Installing: ${dest}/lib/systemd/system/jtgw.service")

# The example config, with the installed catalog. jtgw.toml itself is written only when
# absent, so an upgrade never overwrites the admin's configuration.
file(READ "${JTGW_SOURCE_DIR}/samples/jtgw.toml" config)
# samples/jtgw.toml's [odata] holds the commented default path: set the installed one there.
set(sample_catalog "# catalog = \"/usr/local/share/jtgw/connector-manifest/tables.json\"")
string(FIND "${config}" "${sample_catalog}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "samples/jtgw.toml has no line starting ${sample_catalog}")
endif()
string(REPLACE "${sample_catalog}" "catalog = \"${prefix}/share/jtgw/connector-manifest/tables.json\"" config "${config}")
file(WRITE "${sysconf_dest}/jtgw/jtgw.toml.example" "${config}")
message(STATUS "Installing: ${sysconf_dest}/jtgw/jtgw.toml.example")
if(NOT EXISTS "${sysconf_dest}/jtgw/jtgw.toml")
  file(WRITE "${sysconf_dest}/jtgw/jtgw.toml" "${config}")
  message(STATUS "Installing: ${sysconf_dest}/jtgw/jtgw.toml")
else()
  message(STATUS "Kept: ${sysconf_dest}/jtgw/jtgw.toml (the new example is jtgw.toml.example)")
endif()
