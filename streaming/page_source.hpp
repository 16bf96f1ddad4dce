// page_source: how a stream asks for its next page. session/ implements it
// (routing, retries); streaming/ only knows this interface (STYLE.md §2).
#pragma once

#include <asio.hpp>
#include <functional>
#include <optional>
#include <vector>

#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/result_metadata.hpp"
#include "cqlpp/transport/request.hpp"

namespace cqlpp::streaming {

using paging_state = std::vector<std::byte>;  // the server's opaque paging state, as sent
// Gets a page's response frame, or the error that prevented it.
using fetch_handler = std::function<void(std::error_code, transport::response)>;

// The pages of one query or prepared statement, for one stream.
class page_source {
 public:
  virtual ~page_source() = default;
  // Requests the page after `state` (nullopt: the first page). `done` runs on
  // `ex` exactly once. Emitting `cancel` (only from `ex`) abandons the
  // request: `done` gets operation_aborted at once and the stream id stays
  // orphaned until the server's late answer is absorbed.
  virtual void fetch_page(const std::optional<paging_state>& state, asio::any_io_executor ex,
                          asio::cancellation_slot cancel, fetch_handler done) = 0;
  // The protocol version the responses are in (to decode them).
  virtual protocol::protocol_version version() const = 0;
  // Column types for pages sent without metadata (skip_metadata), or null.
  virtual std::shared_ptr<const protocol::rows_metadata> column_types() const { return nullptr; }
};

}  // namespace cqlpp::streaming
