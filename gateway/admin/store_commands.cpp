#include "gateway/admin/store_commands.hpp"

#include "auth/expiry.hpp"
#include "storage/maintenance.hpp"

#include <iostream>

namespace jtgw::admin {
namespace {

void print_report(const storage::verify_report& report) {
  std::cout << "schema version " << report.schema_version << ", " << report.tokens << " token(s) ("
            << report.legacy_tokens << " legacy), " << report.audit_events << " audit event(s), ";
  if (report.policy)
    std::cout << "policy: " << report.policy->max_days << " days since " << auth::to_rfc3339(report.policy->set_at)
              << '\n';
  else
    std::cout << "no policy\n";
}

}  // namespace

int verify_command(const std::string& dir) {
  auto report = storage::verify_store(dir);
  if (!report) {
    std::cerr << "jtgw: " << report.error().message << '\n';
    return 1;
  }
  print_report(*report);
  if (report->ok()) {
    std::cout << dir << ": OK\n";
    return 0;
  }
  for (const auto& problem : report->problems) std::cerr << "problem: " << problem << '\n';
  if (report->problem_count > report->problems.size())
    std::cerr << "… and " << report->problem_count - report->problems.size() << " more\n";
  std::cerr << "jtgw: " << dir << " has " << report->problem_count << " problem(s)\n";
  return 1;
}

int restore_command(const std::string& backup, const std::string& dir) {
  auto restored = storage::restore_store(backup, dir);
  if (!restored) {
    std::cerr << "jtgw: " << restored.error().message << '\n';
    return 1;
  }
  print_report(restored->backup);
  std::cout << "restored " << backup << " into " << dir << '\n';
  if (!restored->previous.empty())
    std::cout << "the previous store was kept at " << restored->previous.string()
              << " (remove it once the restored store serves well)\n";
  return 0;
}

}  // namespace jtgw::admin
