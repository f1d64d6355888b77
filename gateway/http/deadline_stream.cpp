#include "gateway/http/deadline_stream.hpp"

#include <time.h>

namespace jtgw::http {

std::chrono::steady_clock::time_point coarse_now() noexcept {
  // libstdc++'s steady_clock is CLOCK_MONOTONIC: the coarse variant shares its origin.
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::seconds(ts.tv_sec) +
                                                                      std::chrono::nanoseconds(ts.tv_nsec)));
}

deadline_stream::deadline_stream(tcp::socket socket) : state_(std::make_shared<state>(std::move(socket))) {}
deadline_stream::deadline_stream(const executor_type& executor) : deadline_stream(tcp::socket(executor)) {}
deadline_stream::deadline_stream(deadline_stream&&) noexcept = default;

deadline_stream& deadline_stream::operator=(deadline_stream&& other) noexcept {
  if (this != &other) {
    if (state_) state_->close();
    state_ = std::move(other.state_);
  }
  return *this;
}

deadline_stream::~deadline_stream() {
  if (state_) state_->close();
}

deadline_stream::executor_type deadline_stream::get_executor() noexcept { return state_->socket.get_executor(); }
tcp::socket& deadline_stream::socket() noexcept { return state_->socket; }

void deadline_stream::expires_after(clock::duration timeout) {
  state_->deadline = coarse_now() + timeout;
  // A wait pending for a later time would let the new deadline pass unnoticed.
  if (state_->armed && state_->deadline < state_->armed_for && (state_->pending_reads || state_->pending_writes))
    state_->arm();
}

void deadline_stream::expires_never() noexcept {
  state_->deadline = clock::time_point::max();
  // With nothing pending, a waiting timer would only keep the io_context busy.
  if (state_->armed && !state_->pending_reads && !state_->pending_writes) {
    state_->armed = false;
    ++state_->generation;
    state_->timer.cancel();
  }
}

void deadline_stream::close() noexcept { state_->close(); }

deadline_stream::state::state(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

void deadline_stream::state::begin(direction d) {
  ++(d == direction::read ? pending_reads : pending_writes);
  if (deadline != clock::time_point::max() && (!armed || deadline < armed_for)) arm();
}

error_code deadline_stream::state::end(direction d, error_code ec) noexcept {
  --(d == direction::read ? pending_reads : pending_writes);
  bool& timed_out = d == direction::read ? read_timed_out : write_timed_out;
  if (timed_out) {
    timed_out = false;
    return beast::error::timeout;
  }
  return ec;
}

void deadline_stream::state::arm() {
  armed = true;
  armed_for = deadline;
  const std::uint64_t current = ++generation;
  timer.expires_at(deadline);  // cancels a pending wait, which then ignores itself
  timer.async_wait([weak = weak_from_this(), current](const error_code& ec) {
    if (ec) return;  // cancelled: the stream re-armed, stopped the timer or is gone
    if (auto self = weak.lock()) self->on_timer(current);
  });
}

void deadline_stream::state::on_timer(std::uint64_t fired) {
  if (fired != generation) return;  // a wait replaced after it had already fired
  armed = false;
  const bool pending = pending_reads || pending_writes;
  if (!pending || deadline == clock::time_point::max()) return;  // the next operation re-arms
  if (clock::now() < deadline) {
    arm();  // the deadline moved later since this wait began
    return;
  }
  read_timed_out = pending_reads != 0;
  write_timed_out = pending_writes != 0;
  error_code ignored;
  socket.close(ignored);  // the pending operations complete with operation_aborted
}

void deadline_stream::state::close() noexcept {
  error_code ignored;
  socket.close(ignored);
  if (armed) {
    armed = false;
    ++generation;
    timer.cancel();
  }
}

}  // namespace jtgw::http
