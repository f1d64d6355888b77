// STUB (first milestone): the RocksDB store is not implemented yet.
#include "storage/rocksdb_store.hpp"

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

namespace jtgw::storage {

void throw_exception_from_error(const open_error& e, const boost::source_location& loc) {
  boost::throw_exception(boost::system::system_error(e.code, e.message), loc);
}

boost::system::result<std::unique_ptr<token_store>, open_error> open_rocksdb_store(const store_options& options) {
  return open_error{make_error_code(store_error::io_error),
                    "store " + options.path.string() + ": not implemented yet"};
}

}  // namespace jtgw::storage
