#include "cqlpp/session/error.hpp"

#include <string>

namespace cqlpp {

namespace {
class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "cqlpp.session"; }
  std::string message(int e) const override {
    switch (static_cast<session_errc>(e)) {
      case session_errc::schema_disagreement:
        return "schema change applied, but the nodes did not agree on the schema in time";
      case session_errc::trace_unavailable:
        return "the trace is not complete in system_traces";
      case session_errc::unexpected_system_table:
        return "a system table's answer is not in the expected form";
    }
    return "unknown session error";
  }
};
}  // namespace

const std::error_category& session_category() noexcept {
  static const category c;
  return c;
}

}  // namespace cqlpp
