#include "cqlpp/session/batch.hpp"

#include <limits>

#include "cqlpp/session/murmur3.hpp"

namespace cqlpp {

namespace proto = cqlpp::protocol;

namespace {
constexpr std::size_t max_entries = std::numeric_limits<std::uint16_t>::max();
}

std::error_code batch::add(std::string_view cql, std::span<const serialized_value> values) {
  if (count_ >= max_entries || values.size() > max_entries) return proto::errc::too_large;
  const auto mark = entries_.size();
  proto::writer w(entries_);
  w.u8(0);  // kind: a query string
  w.long_string(cql);
  w.u16(static_cast<std::uint16_t>(values.size()));
  for (const auto& v : values) {
    if (v) w.bytes(*v);
    else w.null_bytes();
  }
  if (auto ec = w.error()) {
    entries_.resize(mark);
    return ec;
  }
  ++count_;
  return {};
}

std::error_code batch::add(const prepared_statement& p, bound_values values) {
  if (count_ >= max_entries) return proto::errc::too_large;
  const auto mark = entries_.size();
  proto::writer w(entries_);
  w.u8(1);  // kind: a prepared id
  w.short_bytes(p.id);
  detail::key_cells keys;
  auto ec = w.error();
  if (!ec) ec = detail::write_bound_values(w, p, values.span(), token_ ? nullptr : &keys);
  if (ec) {
    entries_.resize(mark);
    return ec;
  }
  if (!token_) {
    if (const auto t = detail::token_of(keys, entries_)) {
      token_ = *t;
      token_keyspace_ = detail::keyspace_of(p);
    }
  }
  if (p.source) {
    // Shared with copies of this batch and with requests in flight: copied
    // before it changes (a request holds it as it was sent).
    if (!sources_) sources_ = std::make_shared<std::vector<detail::prepared_source>>();
    else if (sources_.use_count() > 1) sources_ = std::make_shared<std::vector<detail::prepared_source>>(*sources_);
    bool known = false;
    for (const auto& s : *sources_) known = known || s.id == p.id;
    if (!known) sources_->push_back({p.id, p.source});
  }
  ++count_;
  return {};
}

void batch::clear() noexcept {
  entries_.clear();
  count_ = 0;
  sources_.reset();
  token_.reset();
  token_keyspace_.clear();
}

}  // namespace cqlpp
