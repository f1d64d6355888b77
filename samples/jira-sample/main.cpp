// jira-sample: `generate` writes a deterministic dataset; `serve` answers Jira REST on it.
#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <thread>

#include "gateway/http/server.hpp"
#include "gateway/http/whole_request.hpp"
#include "samples/jira-sample/dataset_io.hpp"
#include "samples/jira-sample/fields.hpp"
#include "samples/jira-sample/generator.hpp"
#include "samples/jira-sample/service.hpp"

namespace js = jtgw::jira_sample;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct serve_args {
    std::string data, listen, service_credential, base_url;
    long latency_ms = 0;
    double rate_limit = 0;
    std::uint64_t fail_every = 0;
    unsigned threads = 2;
    bool access_log = false;
    std::string sprint_field;
};

// Loads the dataset, binds, pre-renders, then serves until SIGINT/SIGTERM.
// Prints "jira-sample: listening on http://HOST:PORT" on stdout once ready (tests wait for it).
int serve(const serve_args& a) {
    const auto colon = a.listen.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("--listen wants HOST:PORT");
    jtgw::http::listener_config listen;
    listen.address = a.listen.substr(0, colon);
    listen.port = static_cast<std::uint16_t>(std::stoul(a.listen.substr(colon + 1)));

    if (!a.sprint_field.empty()) js::set_sprint_field_id(a.sprint_field);
    js::service_options options;
    options.latency = std::chrono::milliseconds(a.latency_ms);
    options.rate_limit = a.rate_limit;
    options.fail_every = a.fail_every;
    options.render_threads = std::max(1u, a.threads);
    if (!a.service_credential.empty()) {
        const auto sep = a.service_credential.find(':');
        if (sep == std::string::npos || sep == 0 || sep + 1 == a.service_credential.size())
            throw std::runtime_error("--service-credential wants USER:SECRET");
        options.service = js::service_credential{a.service_credential.substr(0, sep), a.service_credential.substr(sep + 1)};
    }

    const auto start = std::chrono::steady_clock::now();
    auto data = std::make_shared<const js::dataset>(js::read_dataset(a.data));
    const double load_seconds = seconds_since(start);

    boost::asio::io_context ioc;
    // The handler exists before the service (the server needs it to listen, the service
    // needs the bound port for its self links); no request runs before ioc.run().
    std::shared_ptr<js::service> svc;
    auto handler = jtgw::http::make_whole_request_handler(
        [&svc](jtgw::http::string_request req, jtgw::http::peer_info) { return svc->handle(std::move(req)); });
    jtgw::http::server_options server_options;
    auto log = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::null_sink_mt>());
    if (a.access_log) log = spdlog::stdout_logger_mt("jira-sample-access");
    server_options.access_log = log;
    jtgw::http::server_limits limits;
    jtgw::http::server server(ioc, handler, limits, server_options);
    auto bound = server.listen(listen);
    if (!bound) throw std::runtime_error("cannot listen on " + a.listen + ": " + bound.error().message());
    options.base_url = a.base_url.empty() ? "http://" + listen.address + ":" + std::to_string(bound->port()) : a.base_url;

    const auto render_start = std::chrono::steady_clock::now();
    svc = std::make_shared<js::service>(data, options);
    std::fprintf(stderr, "jira-sample: %zu issues loaded in %.1f s, rendered in %.1f s (cache %.0f MiB)\n",
                 data->issues.size(), load_seconds, seconds_since(render_start), double(svc->cache_bytes()) / (1 << 20));
    std::printf("jira-sample: listening on http://%s:%u\n", listen.address.c_str(), unsigned(bound->port()));
    std::fflush(stdout);

    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) {
        server.stop_accepting();
        ioc.stop();
    });
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < std::max(1u, a.threads); ++t) workers.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& w : workers) w.join();
    return 0;
}

}  // namespace

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

    auto* serve_cmd = app.add_subcommand("serve", "serve a dataset with Jira's REST shapes");
    serve_args sa;
    serve_cmd->add_option("--data", sa.data, "dataset directory (from generate)")->required();
    serve_cmd->add_option("--listen", sa.listen, "HOST:PORT (port 0: any free port)")->required();
    serve_cmd->add_option("--latency-ms", sa.latency_ms, "delay added to every response")->check(CLI::Range(0L, 600'000L));
    serve_cmd->add_option("--rate-limit", sa.rate_limit, "answer 429 above R requests/s")->check(CLI::Range(0.0, 1e9));
    serve_cmd->add_option("--fail-every", sa.fail_every, "answer every K-th request 503");
    serve_cmd->add_option("--service-credential", sa.service_credential,
                          "USER:SECRET that may act as X-Forwarded-User");
    serve_cmd->add_option("--base-url", sa.base_url, "site URL in self links (default http://HOST:PORT)");
    serve_cmd->add_option("--threads", sa.threads, "I/O threads")->check(CLI::Range(1u, 64u));
    serve_cmd->add_flag("--access-log", sa.access_log, "log one line per request on stdout");
    serve_cmd->add_option("--sprint-field-id", sa.sprint_field,
                          "the Sprint field's id (default customfield_10020), as sites number it differently");

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
        if (serve_cmd->parsed()) return serve(sa);
    } catch (const std::exception& e) {
        std::cerr << "jira-sample: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
