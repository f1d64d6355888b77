// bench_verify [--dir DIR] [--tokens N] [--iterations N]
// Times authenticator::verify() on a store holding N tokens (default 1,000,000):
// a valid token, a well-formed unknown token, and malformed values. Prints the median
// microseconds per call over batches. Asserts nothing; not run by ctest.
//
// The store is filled through token_store::create(), which syncs every write; the
// default DIR is under /dev/shm so that a sync costs no disk flush and filling takes
// seconds, not hours. Lookups hit RocksDB's files through the page cache either way.
#include "auth/authenticator.hpp"
#include "auth/token_digest.hpp"
#include "auth/token_format.hpp"
#include "storage/rocksdb_store.hpp"
#include "tests/support/base64.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <ctime>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace std::chrono;
using jtgw::storage::clock_time;

using jtgw::test_support::basic_authorization;

// This thread's CPU time in microseconds: on a shared machine, wall time also counts
// the time other processes held the core.
double thread_cpu_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

struct timing {
  double wall_us;  // median over batches of wall time per call
  double cpu_us;   // median over batches of thread CPU time per call
};

timing time_calls(std::size_t iterations, const std::function<void(std::size_t)>& call) {
  constexpr std::size_t batch = 1000;
  std::vector<double> wall;
  std::vector<double> cpu;
  for (std::size_t done = 0; done < iterations; done += batch) {
    const auto start = steady_clock::now();
    const double cpu_start = thread_cpu_us();
    for (std::size_t i = 0; i < batch; ++i) call(done + i);
    cpu.push_back((thread_cpu_us() - cpu_start) / batch);
    wall.push_back(duration<double, std::micro>(steady_clock::now() - start).count() / batch);
  }
  return {median(std::move(wall)), median(std::move(cpu))};
}

std::ostream& operator<<(std::ostream& out, const timing& t) {
  return out << t.wall_us << " us/call wall, " << t.cpu_us << " us/call CPU";
}

std::string outcome(const jtgw::auth::verdict& v) {
  if (const auto* d = std::get_if<jtgw::auth::denial>(&v)) return std::string(code(d->reason));
  return "granted";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmark of authenticator::verify() on a large token store"};
  std::string dir = "/dev/shm/jtgw-bench-verify-" + std::to_string(::getpid());
  std::size_t tokens = 1'000'000;
  std::size_t iterations = 100'000;
  // create() reads the user's other tokens to keep labels unique, so the fill time grows
  // with tokens per user; a few per user is also the realistic shape.
  std::size_t users = 200'000;
  app.add_option("--dir", dir, "store directory to create (removed afterwards)");
  app.add_option("--tokens", tokens, "tokens in the store");
  app.add_option("--iterations", iterations, "verify() calls per case");
  app.add_option("--users", users, "distinct users the tokens are spread over")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (std::filesystem::exists(dir)) {
    std::cerr << "bench_verify: " << dir << " exists; pass a new --dir\n";
    return 1;
  }

  const clock_time created = floor<milliseconds>(system_clock::now());
  std::string valid_token;
  {
    auto store = jtgw::storage::open_rocksdb_store({.path = dir}).value();
    const auto fill_start = steady_clock::now();
    jtgw::storage::token_record record;
    record.created = created;
    for (std::size_t i = 0; i < tokens; ++i) {
      const std::string token = jtgw::auth::generate_token();
      record.id = jtgw::auth::generate_token_id();
      record.user = "user" + std::to_string(i % users) + "@example.com";
      record.label = "token " + std::to_string(i);
      record.digest = jtgw::auth::digest_of(token);
      if (auto r = store->create(record); !r) {
        std::cerr << "bench_verify: create failed: " << r.error().message() << '\n';
        return 1;
      }
      if (i == tokens / 2) valid_token = token;
    }
    std::cout << "filled " << tokens << " tokens of " << users << " users via create() in "
              << duration<double>(steady_clock::now() - fill_start).count() << " s\n";
  }  // closed, so the benchmark reads a reopened store as the gateway would after start

  auto store = jtgw::storage::open_rocksdb_store({.path = dir}).value();
  jtgw::auth::authenticator auth(*store);  // default lockout config
  const std::string valid_user = "user" + std::to_string((tokens / 2) % users) + "@example.com";
  const std::string valid = basic_authorization(valid_user + ":" + valid_token);
  const std::string unknown = basic_authorization(valid_user + ":" + jtgw::auth::generate_token());
  std::string flipped = valid_token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  const std::string bad_checksum = basic_authorization(valid_user + ":" + flipped);
  const std::string not_basic = "Bearer " + valid_token;
  const clock_time now = floor<milliseconds>(system_clock::now());

  std::cout << "sanity: valid=" << outcome(auth.verify(valid, "192.0.2.1", now))
            << " unknown=" << outcome(auth.verify(unknown, "192.0.2.1", now))
            << " bad_checksum=" << outcome(auth.verify(bad_checksum, "192.0.2.1", now))
            << " not_basic=" << outcome(auth.verify(not_basic, "192.0.2.1", now)) << '\n';

  // Failing calls count towards lockout; four minutes apart, never five fall within
  // the 15-minute window, so every call takes the full path instead of being locked out.
  auto spaced = [&](std::size_t i) { return now + minutes(4 * (i + 1)); };
  std::size_t denied = 0;
  const timing valid_us = time_calls(iterations, [&](std::size_t) {
    denied += std::holds_alternative<jtgw::auth::denial>(auth.verify(valid, "192.0.2.1", now));
  });
  const timing unknown_us = time_calls(iterations, [&](std::size_t i) {
    denied += std::holds_alternative<jtgw::auth::principal>(auth.verify(unknown, "192.0.2.2", spaced(i)));
  });
  const timing checksum_us = time_calls(iterations, [&](std::size_t i) {
    denied += std::holds_alternative<jtgw::auth::principal>(auth.verify(bad_checksum, "192.0.2.3", spaced(i)));
  });
  const timing not_basic_us = time_calls(iterations, [&](std::size_t) {
    denied += std::holds_alternative<jtgw::auth::principal>(auth.verify(not_basic, "192.0.2.4", now));
  });

  std::cout << "verify() on " << tokens << " tokens, median of batches of 1000, " << iterations
            << " calls each:\n"
            << "  valid token                 " << valid_us << "   (target <= 5)\n"
            << "  well-formed unknown token   " << unknown_us << "\n"
            << "  malformed: bad checksum     " << checksum_us << "   (target <= 0.5)\n"
            << "  malformed: not Basic        " << not_basic_us << "\n";
  if (denied != 0) std::cout << "WARNING: " << denied << " calls had an unexpected outcome\n";

  store.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
