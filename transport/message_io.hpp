// Glue between protocol/ messages and transport requests/responses.
#pragma once

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/transport/connection.hpp"

namespace cqlpp::transport {

// Encodes a request message for a connection speaking version `v`. On error
// (a field too large, a v5-only field in v4) returns it and leaves `out` empty.
std::error_code make_request(const protocol::request& m, protocol::protocol_version v, request& out,
                             const protocol::envelope_extras& extras = {});

// Decodes a response frame received on a connection speaking version `v`.
// Views inside the result (rows) borrow `r.body`.
protocol::result<protocol::response_envelope> decode(const response& r, protocol::protocol_version v);
// The same into `out`, moving nothing; the error's code, or none.
std::error_code decode_into(const response& r, protocol::protocol_version v, protocol::response_envelope& out);

// USE "<keyspace>": the name quoted, so that its case is kept (the server
// reports keyspaces by their exact names), an embedded quote doubled.
protocol::query_request use_keyspace_query(const std::string& keyspace);

}  // namespace cqlpp::transport
