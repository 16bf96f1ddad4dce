// cql_value equality and display.
#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "cqlpp/protocol/value.hpp"

namespace cqlpp::protocol {

namespace {

template <class T>
bool same_bits(T a, T b) {
  if constexpr (std::is_same_v<T, float>) return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
  else return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

std::string float_text(double d, int digits) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, d);
  return buf;
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string hex_blob(const blob& b) {
  static constexpr char d[] = "0123456789abcdef";
  std::string s = "0x";
  for (std::byte x : b) {
    const auto u = std::to_integer<unsigned>(x);
    s += d[u >> 4];
    s += d[u & 15];
  }
  return s;
}

// Days since 1970-01-01 -> proleptic Gregorian y/m/d (H. Hinnant's
// civil_from_days algorithm).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

// "YYYY-MM-DD" for years 0..9999; outside them signed, as Cassandra (Java's
// ISO format) prints them: "+10000-01-01", "-0001-12-31".
std::string date_text(std::int64_t days_since_epoch) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days_since_epoch, y, m, d);
  char buf[48];
  const char* sign = y > 9999 ? "+" : y < 0 ? "-" : "";
  const unsigned long long ay = y < 0 ? 0ULL - static_cast<unsigned long long>(y) : static_cast<unsigned long long>(y);
  std::snprintf(buf, sizeof buf, "%s%04llu-%02u-%02u", sign, ay, m, d);
  return buf;
}

std::string decimal_text(const decimal& x) {
  std::string digits = x.unscaled.to_string();
  const bool neg = !digits.empty() && digits[0] == '-';
  if (neg) digits.erase(0, 1);
  const std::int64_t scale = x.scale;
  std::string out;
  if (scale == 0) {
    out = digits;
  } else if (scale > 0 && scale <= 40) {
    const auto s = static_cast<std::size_t>(scale);
    if (digits.size() < s + 1) digits.insert(0, s + 1 - digits.size(), '0');
    out = digits.substr(0, digits.size() - s) + "." + digits.substr(digits.size() - s);
  } else {
    out = digits + "E" + (scale < 0 ? "+" : "") + std::to_string(-scale);
  }
  return neg ? "-" + out : out;
}

struct printer {
  const type_spec* t;  // may be null: untyped display

  const type_spec* param(std::size_t i) const {
    return t && i < t->params.size() ? &t->params[i] : nullptr;
  }
  std::string sub(const cql_value& v, const type_spec* st) const {
    return st ? to_string(v, *st) : to_string(v);
  }

  std::string operator()(null_value) const { return "null"; }
  std::string operator()(unset_value) const { return "unset"; }
  std::string operator()(empty_value) const { return "empty"; }
  std::string operator()(bool b) const { return b ? "true" : "false"; }
  std::string operator()(std::int8_t x) const { return std::to_string(x); }
  std::string operator()(std::int16_t x) const { return std::to_string(x); }
  std::string operator()(std::int32_t x) const { return std::to_string(x); }
  std::string operator()(std::int64_t x) const { return std::to_string(x); }
  std::string operator()(float x) const { return float_text(x, 9); }
  std::string operator()(double x) const { return float_text(x, 17); }
  std::string operator()(const std::string& s) const { return quoted(s); }
  std::string operator()(const blob& b) const { return hex_blob(b); }
  std::string operator()(const uuid& u) const { return u.to_string(); }
  std::string operator()(const inet_address& a) const { return a.to_string(); }
  std::string operator()(const varint& x) const { return x.to_string(); }
  std::string operator()(const decimal& x) const { return decimal_text(x); }
  std::string operator()(const duration& x) const {
    return std::to_string(x.months) + "mo" + std::to_string(x.days) + "d" + std::to_string(x.nanoseconds) + "ns";
  }
  std::string operator()(const date_value& x) const {
    const std::int64_t days = static_cast<std::int64_t>(x.days) - date_value::epoch;
    return date_text(days);
  }
  std::string operator()(const time_value& x) const {
    const std::int64_t ns = x.nanoseconds;
    if (ns < 0 || ns >= time_value::nanos_per_day) return std::to_string(ns);
    const std::int64_t s = ns / 1'000'000'000;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%09d", static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                  static_cast<int>(s % 60), static_cast<int>(ns % 1'000'000'000));
    return buf;
  }
  std::string operator()(const timestamp_value& x) const {
    const std::int64_t ms = x.milliseconds;
    // Floor division; no intermediate product, so INT64_MIN cannot overflow.
    std::int64_t days = ms / 86'400'000;
    std::int64_t rem = ms % 86'400'000;
    if (rem < 0) {
      --days;
      rem += 86'400'000;
    }
    const std::string d = date_text(days);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", d.c_str(), static_cast<int>(rem / 3'600'000),
                  static_cast<int>(rem / 60'000 % 60), static_cast<int>(rem / 1000 % 60),
                  static_cast<int>(rem % 1000));
    return buf;
  }
  std::string operator()(const cql_list& l) const {
    const bool set = t && t->kind == type_kind::set;
    std::string s = set ? "{" : "[";
    for (std::size_t i = 0; i < l.items.size(); ++i) {
      if (i) s += ", ";
      s += sub(l.items[i], param(0));
    }
    return s + (set ? "}" : "]");
  }
  std::string operator()(const cql_map& m) const {
    std::string s = "{";
    for (std::size_t i = 0; i < m.entries.size(); ++i) {
      if (i) s += ", ";
      s += sub(m.entries[i].first, param(0)) + ": " + sub(m.entries[i].second, param(1));
    }
    return s + "}";
  }
  std::string operator()(const cql_tuple& tu) const {
    const bool udt = t && t->kind == type_kind::udt;
    std::string s = udt ? "{" : "(";
    for (std::size_t i = 0; i < tu.fields.size(); ++i) {
      if (i) s += ", ";
      if (udt && i < t->field_names.size()) s += t->field_names[i] + ": ";
      s += sub(tu.fields[i], param(i));
    }
    return s + (udt ? "}" : ")");
  }
};

}  // namespace

bool operator==(const cql_list& a, const cql_list& b) { return a.items == b.items; }
bool operator==(const cql_map& a, const cql_map& b) { return a.entries == b.entries; }
bool operator==(const cql_tuple& a, const cql_tuple& b) { return a.fields == b.fields; }

bool operator==(const cql_value& a, const cql_value& b) {
  if (a.v.index() != b.v.index()) return false;
  if (const auto* f = a.get_if<float>()) return same_bits(*f, *b.get_if<float>());
  if (const auto* d = a.get_if<double>()) return same_bits(*d, *b.get_if<double>());
  return a.v == b.v;
}

std::string to_string(const cql_value& v) { return std::visit(printer{nullptr}, v.v); }
std::string to_string(const cql_value& v, const type_spec& t) { return std::visit(printer{&t}, v.v); }

}  // namespace cqlpp::protocol
