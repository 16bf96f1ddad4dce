// request_executor: one request from its encoded body to its caller's
// completion, across hosts — the one non-template request path of the
// session.
//
// The body is encoded once, before a host is chosen (the protocol version is
// pinned for the session, so every host reads the same bytes). Then:
//  1. the current cluster_view is taken (and kept for the request's life);
//  2. the plan: policies/load_balancing over the view, from the request's
//     keyspace and token (replicas first);
//  3. an attempt goes to the first host's pool, with the time left of the
//     request's overall deadline (its timeout counts from the call, across
//     every attempt);
//  4. a failed attempt is judged by policies/retry: the same host again, the
//     next host of the plan, a re-PREPARE on this host then the same request
//     again (UNPREPARED), or the end;
//  5. the caller is completed once, with the last answer. When any attempt
//     failed, every attempt is listed in the result (host, code, words):
//     what was tried is never hidden.
// The caller's cancellation slot applies to the attempt in flight; a
// cancelled request is never retried. Each attempt counts in its host's
// counters (requests, errors, retries).
//
// Memory: the request's state is one recycled block (transport/op_memory);
// the plan is computed in per-thread buffers and its first
// max_plan hosts kept inline. No allocation per request in steady state
// beyond the pool's and the caller's.
#pragma once

#include <memory>

#include "cqlpp/session/cluster.hpp"
#include "cqlpp/session/completion.hpp"
#include "cqlpp/session/exec_request.hpp"
#include "cqlpp/session/query_result.hpp"
#include "cqlpp/streaming/page_source.hpp"

namespace cqlpp::detail {

// Completes `done` with the decoded result (on done's executor).
void execute(const std::shared_ptr<cluster>& c, request_ptr r, completion<query_result> done);

// For streams: completes `done` with the raw response on `ex`.
void execute_page(const std::shared_ptr<cluster>& c, request_ptr r, asio::any_io_executor ex,
                  asio::cancellation_slot slot, streaming::fetch_handler done);

}  // namespace cqlpp::detail
