#include "cqlpp/streaming/error.hpp"

#include <string>

namespace cqlpp::streaming {
namespace {
struct category final : std::error_category {
  const char* name() const noexcept override { return "cqlpp.streaming"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::session_closed: return "session closed";
      case errc::bad_response: return "bad response to a page request";
      case errc::empty_stream: return "stream is empty (moved from)";
    }
    return "unknown streaming error";
  }
};
}  // namespace

const std::error_category& streaming_category() noexcept {
  static const category c;
  return c;
}

}  // namespace cqlpp::streaming
