// jira-sample: `generate` writes a deterministic dataset; `serve` answers Jira REST on it.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "samples/jira-sample/dataset_io.hpp"
#include "samples/jira-sample/generator.hpp"

namespace js = jtgw::jira_sample;

int main(int argc, char** argv) {
    CLI::App app{"jira-sample: a sample Jira (Cloud v3 and Data Center v2 REST shapes)"};
    app.require_subcommand(1);

    auto* generate = app.add_subcommand("generate", "write a deterministic dataset");
    std::int64_t issues = 1000;
    std::uint64_t seed = 1;
    std::string out;
    generate->add_option("--issues", issues, "number of issues")->check(CLI::Range(std::int64_t{0}, std::int64_t{10'000'000}));
    generate->add_option("--seed", seed, "PRNG seed");
    generate->add_option("--out", out, "output directory")->required();

    CLI11_PARSE(app, argc, argv);
    try {
        if (generate->parsed()) {
            const auto start = std::chrono::steady_clock::now();
            const auto d = js::generate(issues, seed);
            js::write_dataset(d, out);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            std::fprintf(stderr, "jira-sample: %lld issues, %zu worklogs, %zu comments, %zu histories -> %s in %.1f s\n",
                         static_cast<long long>(d.issues.size()), d.worklogs.size(), d.comments.size(),
                         d.histories.size(), out.c_str(), took.count());
        }
    } catch (const std::exception& e) {
        std::cerr << "jira-sample: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
