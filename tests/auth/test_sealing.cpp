#include "auth/seal_key_file.hpp"
#include "auth/sealing.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <fstream>
#include <memory>

using namespace jtgw::auth;

namespace {

seal_key key_of(char fill) { return seal_key::from_bytes(std::string(seal_key_bytes, fill)); }

bool fails_with(const auto& result, seal_error e) {
  return !result.has_value() && result.error() == make_error_code(e);
}

mode_t mode_of(const std::filesystem::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 07777;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sealing)

BOOST_AUTO_TEST_CASE(round_trip) {
  const auto key = key_of('k');
  const std::string secret = "ATATT3xFfGF0-jira-api-token:with:colons";
  const auto sealed = seal(key, secret, "alice@example.com");
  BOOST_REQUIRE(sealed.has_value());
  BOOST_TEST(sealed->find("jira-api-token") == std::string::npos);
  const auto opened = unseal(key, *sealed, "alice@example.com");
  BOOST_REQUIRE(opened.has_value());
  BOOST_TEST(opened->view() == secret);
  // A fresh nonce per seal: the same plaintext never seals to the same bytes.
  BOOST_TEST(*seal(key, secret, "alice@example.com") != *sealed);
  // The empty credential round-trips too.
  BOOST_TEST(unseal(key, *seal(key, "", "u"), "u")->view().empty());
}

BOOST_AUTO_TEST_CASE(tampering_wrong_owner_and_wrong_key_fail) {
  const auto key = key_of('k');
  const auto sealed = *seal(key, "jira-secret", "alice");
  for (std::size_t i = 1; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    BOOST_TEST(fails_with(unseal(key, tampered, "alice"), seal_error::authentication_failed), "byte " << i);
  }
  BOOST_TEST(fails_with(unseal(key, sealed, "bob"), seal_error::authentication_failed));
  BOOST_TEST(fails_with(unseal(key_of('x'), sealed, "alice"), seal_error::authentication_failed));
  std::string other_version = sealed;
  other_version[0] = 2;
  BOOST_TEST(fails_with(unseal(key, other_version, "alice"), seal_error::unknown_version));
  BOOST_TEST(fails_with(unseal(key, sealed.substr(0, 28), "alice"), seal_error::truncated));
  BOOST_TEST(fails_with(seal(key, std::string(max_seal_plaintext + 1, 'x'), "alice"),
                        seal_error::plaintext_too_large));
  // Unsealing reuses one context per thread: failures before it leave no trace.
  const auto opened = unseal(key, sealed, "alice");
  BOOST_REQUIRE(opened.has_value());
  BOOST_TEST(opened->view() == "jira-secret");
}

BOOST_AUTO_TEST_CASE(each_key_opens_only_its_own_blobs_however_calls_interleave) {
  // Unsealing keeps the last key's schedule in a per-thread context: switching keys,
  // moving a key and replacing a destroyed key (often at the same address) must each
  // unseal with the bytes of the key actually passed.
  const auto k = key_of('k');
  const auto x = key_of('x');
  const auto sealed_k = *seal(k, "under k", "u");
  const auto sealed_x = *seal(x, "under x", "u");
  for (int round = 0; round < 3; ++round) {
    BOOST_TEST(unseal(k, sealed_k, "u")->view() == "under k");
    BOOST_TEST(fails_with(unseal(k, sealed_x, "u"), seal_error::authentication_failed));
    BOOST_TEST(unseal(x, sealed_x, "u")->view() == "under x");
    BOOST_TEST(fails_with(unseal(x, sealed_k, "u"), seal_error::authentication_failed));
  }
  auto moved_from = key_of('k');
  BOOST_TEST(unseal(moved_from, sealed_k, "u")->view() == "under k");
  const auto moved_to = std::move(moved_from);
  BOOST_TEST(unseal(moved_to, sealed_k, "u")->view() == "under k");
  BOOST_TEST(fails_with(unseal(moved_from, sealed_k, "u"), seal_error::authentication_failed));
  for (char fill : {'k', 'x', 'k'}) {
    const auto fresh = std::make_unique<seal_key>(key_of(fill));
    BOOST_TEST(unseal(*fresh, sealed_k, "u").has_value() == (fill == 'k'));
    BOOST_TEST(unseal(*fresh, sealed_x, "u").has_value() == (fill == 'x'));
  }
}

BOOST_AUTO_TEST_CASE(key_file_created_0600_and_reused) {
  jtgw::storage::testing::temp_dir dir;
  const auto path = dir.path() / "seal.key";
  const auto first = load_or_create_seal_key(path);
  BOOST_TEST(mode_of(path) == 0600u);
  BOOST_TEST(std::filesystem::file_size(path) == seal_key_bytes);
  const auto sealed = *seal(first, "secret", "u");
  // Loading again reads the same key (no temporary files left behind either).
  const auto second = load_or_create_seal_key(path);
  BOOST_TEST(unseal(second, sealed, "u")->view() == "secret");
  BOOST_TEST(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
}

BOOST_AUTO_TEST_CASE(key_file_refused_when_others_can_read_it_or_size_is_wrong) {
  jtgw::storage::testing::temp_dir dir;
  const auto path = dir.path() / "seal.key";
  (void)load_or_create_seal_key(path);
  ::chmod(path.c_str(), 0644);
  auto refused_naming_path = [&](const std::string& needle) {
    try {
      (void)load_or_create_seal_key(path);
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find(path.string()) != std::string::npos, what);
      BOOST_TEST(what.find(needle) != std::string::npos, what);
      return true;
    }
    return false;
  };
  BOOST_TEST(refused_naming_path("0644"));
  ::chmod(path.c_str(), 0640);
  BOOST_TEST(refused_naming_path("0640"));
  ::chmod(path.c_str(), 0600);
  std::ofstream(path, std::ios::app) << "x";
  BOOST_TEST(refused_naming_path("33 bytes"));
  const auto dir_path = dir.path() / "a-directory";
  std::filesystem::create_directory(dir_path);
  BOOST_CHECK_THROW((void)load_or_create_seal_key(dir_path), std::runtime_error);
  BOOST_CHECK_THROW((void)load_or_create_seal_key(dir.path() / "missing-dir" / "seal.key"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
