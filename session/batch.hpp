// batch: statements the server applies together (BATCH, v4 §4.1.7) —
// logged (atomically, through the batch log), unlogged, or counter updates.
//
// Entries are serialised as they are added, so their values need not
// outlive add(); a batch is then executed any number of times with
// session::async_batch. Its request_options (consistency, serial
// consistency, timestamp, idempotent, timeout, tracing, payload) apply to
// the whole batch; page_size does not. A batch is plain data: copy it,
// move it, fill it in any thread — but not from two at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cqlpp/protocol/batch.hpp"
#include "cqlpp/session/bind.hpp"
#include "cqlpp/session/exec_request.hpp"
#include "cqlpp/session/request_options.hpp"
#include "cqlpp/session/statement.hpp"

namespace cqlpp {

namespace detail {
struct batch_access;
}

// A BATCH to execute with session::async_batch (see the top of this file).
class batch : public request_options {
 public:
  // An empty batch of `type`: logged (the default), unlogged or counter.
  explicit batch(protocol::batch_type type = protocol::batch_type::logged) : type_(type) {}

  // A CQL string with its values already in binary form (as statement::values).
  // Errors: too_large past 65,535 entries or values; the batch is unchanged.
  std::error_code add(std::string_view cql, std::span<const serialized_value> values = {});
  // A prepared statement, its values serialised now by its markers' types.
  // Errors: type_mismatch for a wrong count or type, too_large; the batch is
  // unchanged. The first entry with a partition key routes the batch.
  [[nodiscard]] std::error_code add(const prepared_statement& p, bound_values values);

  // The entries added so far.
  std::size_t size() const noexcept { return count_; }
  // No entry added.
  bool empty() const noexcept { return count_ == 0; }
  // Logged, unlogged or counter, as constructed.
  protocol::batch_type type() const noexcept { return type_; }
  // Removes every entry (and the routing they set); the type, the options
  // and routing_key / routing_keyspace stay.
  void clear() noexcept;

  // Route by this key instead of the first prepared entry's (as statement's).
  std::optional<std::vector<std::byte>> routing_key;
  std::optional<std::string> routing_keyspace;  // the keyspace to route by when `keyspace` is not set

 private:
  friend struct detail::batch_access;
  protocol::batch_type type_;
  std::vector<std::byte> entries_;  // each entry as BATCH lists it: <kind><string_or_id><n><value>…
  std::size_t count_ = 0;
  // The CQL behind each prepared id, for a node that answers UNPREPARED.
  std::shared_ptr<std::vector<detail::prepared_source>> sources_;
  std::optional<std::int64_t> token_;  // of the first prepared entry with a whole key
  std::string token_keyspace_;
};

}  // namespace cqlpp
