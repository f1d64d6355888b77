#pragma once
// Several coroutines working through one list of Jira requests at once (completing
// truncated lists, searching issues by id), on the caller's executor (its strand): each
// worker takes the next item until none is left or one failed, so at most `workers`
// requests are in flight and the shared state needs no locking.
#include <cstddef>
#include <functional>

#include "gateway/http/net.hpp"

namespace jtgw::jira {

/// Runs `workers` (at least 1) coroutines made by `worker` at once and waits for all of
/// them. False when one ended by an exception (it was cancelled) or the caller is being
/// cancelled; the workers report their own failures through the state they share.
net::awaitable<bool> run_workers(std::size_t workers, const std::function<net::awaitable<void>()>& worker);

}  // namespace jtgw::jira
