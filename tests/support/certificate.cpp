#include "tests/support/certificate.hpp"

#include "tests/support/run_command.hpp"

#include <stdexcept>

namespace jtgw::test_support {

void make_certificate(const std::filesystem::path& dir, const std::string& name) {
  const auto made = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                         (dir / (name + ".key")).string(), "-out", (dir / (name + ".crt")).string()});
  if (made.exit_code != 0) throw std::runtime_error("openssl req failed: " + made.err);
}

}  // namespace jtgw::test_support
