// jtgw's entry point: everything lives in gateway/app (the CLI) so tests can reach it.
#include "gateway/app/cli.hpp"

int main(int argc, char** argv) { return jtgw::app::run_cli(argc, argv); }
