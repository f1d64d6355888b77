#pragma once
// The shipped catalog, loaded once per test executable (the tests check what it serves).
#include <cstdlib>
#include <filesystem>

#include <boost/test/unit_test.hpp>

#include "gateway/odata/catalog.hpp"

namespace jtgw::odata::testing {

inline std::filesystem::path shipped_catalog_path() {
    const char* root = std::getenv("JTGW_SOURCE_DIR");
    BOOST_REQUIRE_MESSAGE(root != nullptr, "JTGW_SOURCE_DIR is set by ctest");
    return std::filesystem::path(root) / "connector-manifest" / "tables.json";
}

inline const catalog& shipped_catalog() {
    static const catalog cat = load_catalog_file(shipped_catalog_path());
    return cat;
}

inline const table& shipped_table(std::string_view name) {
    const table* t = shipped_catalog().find(name);
    BOOST_REQUIRE_MESSAGE(t != nullptr, "table " << name << " in the shipped catalog");
    return *t;
}

}  // namespace jtgw::odata::testing
