#include "gateway/http/whole_request.hpp"

#include "gateway/http/error_response.hpp"
#include "gateway/http/request_checks.hpp"

#include <boost/beast/core/error.hpp>

namespace jtgw::http {
namespace {

class whole_request_handler final : public request_handler {
 public:
  explicit whole_request_handler(whole_request_function fn) : fn_(std::move(fn)) {}

  net::awaitable<void> handle(exchange& ex) override {
    ex.record().route = "whole";
    auto body = co_await ex.read_body();
    if (!body) {
      ex.close_after();
      // A stalled or vanished client cannot be answered usefully.
      if (body.error() == beast::error::timeout) co_return;
      const auto rejection = rejection_for_body_error(body.error());
      auto response = json_error_response(rejection.status, rejection.code, rejection.message,
                                          ex.request().version());
      co_await ex.write(response);
      co_return;
    }
    string_request request{request_header(ex.request())};
    request.body() = std::move(*body);
    string_response response = co_await fn_(std::move(request), ex.peer());
    co_await ex.write(response);
  }

 private:
  whole_request_function fn_;
};

}  // namespace

std::shared_ptr<request_handler> make_whole_request_handler(whole_request_function fn) {
  return std::make_shared<whole_request_handler>(std::move(fn));
}

}  // namespace jtgw::http
