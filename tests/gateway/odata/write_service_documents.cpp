// Writes the $metadata XML and the service document generated from a catalog into a
// directory, for the third-party checks (odata-csdl from npm, xmllint with the OASIS
// schemas) that ctest runs on them. Usage: write_service_documents CATALOG OUT_DIR
#include <fstream>
#include <iostream>

#include "gateway/odata/csdl.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: write_service_documents CATALOG OUT_DIR\n";
        return 2;
    }
    try {
        auto cat = jtgw::odata::load_catalog_file(argv[1]);
        std::filesystem::create_directories(argv[2]);
        std::ofstream(std::filesystem::path(argv[2]) / "metadata.xml") << jtgw::odata::metadata_xml(cat);
        std::ofstream(std::filesystem::path(argv[2]) / "service.json")
            << jtgw::odata::service_document(cat, "http://127.0.0.1/odata/");
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
