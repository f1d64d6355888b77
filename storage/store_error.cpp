#include "storage/store_error.hpp"

#include <ostream>
#include <string>

namespace jtgw::storage {
namespace {

class store_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "jtgw.storage"; }

  std::string message(int value) const override {
    switch (static_cast<store_error>(value)) {
      case store_error::not_found: return "not found";
      case store_error::duplicate_label: return "the user already has a token with this label";
      case store_error::duplicate_token: return "a token with this digest or id already exists";
      case store_error::corrupt_record: return "stored record is truncated or malformed";
      case store_error::unknown_record_version: return "stored record has an unknown version";
      case store_error::schema_too_new: return "store schema is newer than this binary";
      case store_error::locked: return "store is locked by another process";
      case store_error::io_error: return "store I/O error";
      case store_error::invalid_argument: return "invalid argument";
      case store_error::corrupt_store: return "store is corrupt";
    }
    return "unknown storage error " + std::to_string(value);
  }
};

}  // namespace

const boost::system::error_category& store_category() noexcept {
  static const store_category_impl category;
  return category;
}

std::ostream& operator<<(std::ostream& out, store_error e) { return out << make_error_code(e).message(); }

}  // namespace jtgw::storage
