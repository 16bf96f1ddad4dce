// Error codes of streaming/ (server errors keep protocol::server_category).
#pragma once

#include <system_error>

namespace cqlpp::streaming {

// What can end a stream besides the server's errors; an std::error_code enum.
enum class errc {
  session_closed = 1,  // the session shut down while the stream was alive
  bad_response,        // the server's answer to a page request could not be decoded
  empty_stream,        // used an empty stream (moved from, released, default-constructed)
};

const std::error_category& streaming_category() noexcept;  // named "cqlpp.streaming"
// `e` in streaming_category(): lets errc convert to std::error_code.
inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), streaming_category()}; }

}  // namespace cqlpp::streaming

template <>
struct std::is_error_code_enum<cqlpp::streaming::errc> : std::true_type {};
