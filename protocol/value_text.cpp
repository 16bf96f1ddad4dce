// Values from CQL literal text (see value_text.hpp).
#include "cqlpp/protocol/value_text.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace cqlpp::protocol {
namespace {

decode_error bad(std::size_t offset, const char* expected, errc code = errc::invalid_value) {
  return decode_error{make_error_code(code), offset, expected};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool lower_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != static_cast<unsigned char>(b[i])) return false;
  return true;
}

// A whole-string integer of type T (an optional leading '-' or '+').
template <class T>
std::optional<T> whole_int(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  T v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// A fixed count of decimal digits at s[pos...]; advances pos.
std::optional<std::int64_t> digits(std::string_view s, std::size_t& pos, std::size_t min, std::size_t max) {
  std::size_t n = 0;
  std::int64_t v = 0;
  while (pos + n < s.size() && n < max && std::isdigit(static_cast<unsigned char>(s[pos + n]))) {
    v = v * 10 + (s[pos + n] - '0');
    ++n;
  }
  if (n < min) return std::nullopt;
  pos += n;
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// [+-]Y+-MM-DD at s[pos...]: days since the epoch; advances pos.
std::optional<std::int64_t> civil_date(std::string_view s, std::size_t& pos) {
  bool neg = false;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) neg = s[pos++] == '-';
  auto y = digits(s, pos, 4, 9);
  if (!y || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  auto m = digits(s, pos, 2, 2);
  if (!m || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  auto d = digits(s, pos, 2, 2);
  if (!d) return std::nullopt;
  const std::int64_t year = neg ? -*y : *y;
  static constexpr unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*m < 1 || *m > 12 || *d < 1) return std::nullopt;
  const unsigned last = month_days[*m - 1] + (*m == 2 && leap(year) ? 1 : 0);
  if (*d > last) return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
}

// HH:MM[:SS[.f{1,max_frac}]] at s[pos...]: nanoseconds since midnight; advances pos.
std::optional<std::int64_t> clock_time(std::string_view s, std::size_t& pos, bool seconds_required, int max_frac) {
  auto h = digits(s, pos, 2, 2);
  if (!h || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  auto m = digits(s, pos, 2, 2);
  if (!m) return std::nullopt;
  std::int64_t sec = 0, frac_ns = 0;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    auto sv = digits(s, pos, 2, 2);
    if (!sv) return std::nullopt;
    sec = *sv;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      const std::size_t start = pos;
      auto f = digits(s, pos, 1, static_cast<std::size_t>(max_frac));
      if (!f) return std::nullopt;
      frac_ns = *f;
      for (std::size_t n = pos - start; n < 9; ++n) frac_ns *= 10;
    }
  } else if (seconds_required) {
    return std::nullopt;
  }
  if (*h > 23 || *m > 59 || sec > 59) return std::nullopt;
  return ((*h * 60 + *m) * 60 + sec) * 1'000'000'000 + frac_ns;
}

// Adds a*b to acc unless it overflows.
bool add_product(std::int64_t& acc, std::int64_t a, std::int64_t b) {
  std::int64_t p = 0;
  return !__builtin_mul_overflow(a, b, &p) && !__builtin_add_overflow(acc, p, &acc);
}

result<cql_value> parse_date(std::string_view s) {
  if (auto raw = whole_int<std::uint32_t>(s); raw && s.find('-') == std::string_view::npos) return cql_value(date_value{*raw});
  std::size_t pos = 0;
  auto days = civil_date(s, pos);
  if (!days || pos != s.size()) return bad(pos, "date [+-]YYYY-MM-DD");
  const std::int64_t raw = *days + date_value::epoch;
  if (raw < 0 || raw > std::numeric_limits<std::uint32_t>::max()) return bad(0, "date within 2^31 days of 1970", errc::too_large);
  return cql_value(date_value{static_cast<std::uint32_t>(raw)});
}

result<cql_value> parse_time(std::string_view s) {
  if (auto ns = whole_int<std::int64_t>(s)) {
    if (*ns < 0 || *ns >= time_value::nanos_per_day) return bad(0, "time 0 .. 86399999999999 ns");
    return cql_value(time_value{*ns});
  }
  std::size_t pos = 0;
  auto ns = clock_time(s, pos, true, 9);
  if (!ns || pos != s.size()) return bad(pos, "time HH:MM:SS[.fffffffff]");
  return cql_value(time_value{*ns});
}

result<cql_value> parse_timestamp(std::string_view s) {
  if (auto ms = whole_int<std::int64_t>(s); ms && s.find('-', 1) == std::string_view::npos) return cql_value(timestamp_value{*ms});
  std::size_t pos = 0;
  auto days = civil_date(s, pos);
  if (!days) return bad(pos, "timestamp YYYY-MM-DD[THH:MM[:SS[.fff]]][zone]");
  std::int64_t ns = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    ++pos;
    auto t = clock_time(s, pos, false, 3);
    if (!t) return bad(pos, "timestamp time HH:MM[:SS[.fff]]");
    ns = *t;
  }
  std::int64_t offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const bool neg = s[pos++] == '-';
    auto hh = digits(s, pos, 2, 2);
    if (pos < s.size() && s[pos] == ':') ++pos;
    auto mm = digits(s, pos, 2, 2);
    if (!hh || !mm || *hh > 23 || *mm > 59) return bad(pos, "time zone Z or +HH:MM");
    offset_min = (neg ? -1 : 1) * (*hh * 60 + *mm);
  }
  if (pos != s.size()) return bad(pos, "end of the timestamp");
  std::int64_t ms = ns / 1'000'000;
  if (!add_product(ms, *days, 86'400'000) || !add_product(ms, -offset_min, 60'000))
    return bad(0, "timestamp within 64 bits of milliseconds", errc::too_large);
  return cql_value(timestamp_value{ms});
}

result<cql_value> finish_duration(bool neg, std::int64_t months, std::int64_t days, std::int64_t nanos) {
  if (months > std::numeric_limits<std::int32_t>::max() || days > std::numeric_limits<std::int32_t>::max())
    return bad(0, "duration months and days within 32 bits", errc::too_large);
  duration d{static_cast<std::int32_t>(months), static_cast<std::int32_t>(days), nanos};
  if (neg) d = duration{-d.months, -d.days, -d.nanoseconds};
  return cql_value(d);
}

result<cql_value> parse_duration(std::string_view s) {
  std::size_t pos = 0;
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) ++pos;
  std::int64_t months = 0, days = 0, nanos = 0;
  if (pos < s.size() && (s[pos] == 'P' || s[pos] == 'p')) {
    ++pos;
    // P0001-02-03T04:05:06: the alternative ISO form.
    if (s.size() - pos >= 10 && s[pos + 4] == '-') {
      auto y = digits(s, pos, 4, 4);
      if (!y || s[pos++] != '-') return bad(pos, "duration P YYYY-MM-DDThh:mm:ss");
      auto mo = digits(s, pos, 2, 2);
      if (!mo || pos >= s.size() || s[pos++] != '-') return bad(pos, "duration P YYYY-MM-DDThh:mm:ss");
      auto d = digits(s, pos, 2, 2);
      if (!d || pos >= s.size() || s[pos++] != 'T') return bad(pos, "duration P YYYY-MM-DDThh:mm:ss");
      auto t = clock_time(s, pos, true, 0);
      if (!t || pos != s.size() || *mo > 11) return bad(pos, "duration P YYYY-MM-DDThh:mm:ss");
      return finish_duration(neg, *y * 12 + *mo, *d, *t);
    }
    bool time_part = false, any = false;
    while (pos < s.size()) {
      if (!time_part && (s[pos] == 'T' || s[pos] == 't')) {
        time_part = true;
        ++pos;
        continue;
      }
      auto n = digits(s, pos, 1, 18);
      if (!n || pos >= s.size()) return bad(pos, "duration ISO 8601 number and designator");
      const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(s[pos++])));
      bool ok = true;
      if (!time_part && u == 'Y') ok = add_product(months, *n, 12);
      else if (!time_part && u == 'M') ok = add_product(months, *n, 1);
      else if (!time_part && u == 'W') ok = add_product(days, *n, 7);
      else if (!time_part && u == 'D') ok = add_product(days, *n, 1);
      else if (time_part && u == 'H') ok = add_product(nanos, *n, 3'600'000'000'000);
      else if (time_part && u == 'M') ok = add_product(nanos, *n, 60'000'000'000);
      else if (time_part && u == 'S') ok = add_product(nanos, *n, 1'000'000'000);
      else return bad(pos - 1, "duration designator Y M W D, or H M S after T");
      if (!ok) return bad(pos - 1, "duration within 64 bits", errc::too_large);
      any = true;
    }
    if (!any) return bad(pos, "duration ISO 8601 number and designator");
    return finish_duration(neg, months, days, nanos);
  }
  // 1y2mo3w4d5h6m7s8ms9us10ns
  struct unit {
    std::string_view name;
    std::int64_t* part;
    std::int64_t scale;
  };
  const unit units[] = {{"y", &months, 12},           {"mo", &months, 1},
                        {"w", &days, 7},              {"d", &days, 1},
                        {"h", &nanos, 3'600'000'000'000}, {"m", &nanos, 60'000'000'000},
                        {"s", &nanos, 1'000'000'000}, {"ms", &nanos, 1'000'000},
                        {"us", &nanos, 1'000},        {"\xc2\xb5s", &nanos, 1'000},
                        {"ns", &nanos, 1}};
  bool any = false;
  while (pos < s.size()) {
    auto n = digits(s, pos, 1, 18);
    if (!n) return bad(pos, "duration number and unit (y mo w d h m s ms us ns)");
    const std::size_t start = pos;
    while (pos < s.size() && !std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    const std::string_view name = s.substr(start, pos - start);
    const unit* found = nullptr;
    for (const auto& u : units)
      if (lower_equals(name, u.name)) found = &u;
    if (found == nullptr) return bad(start, "duration unit y mo w d h m s ms us ns");
    if (!add_product(*found->part, *n, found->scale)) return bad(start, "duration within 64 bits", errc::too_large);
    any = true;
  }
  if (!any) return bad(pos, "duration number and unit (y mo w d h m s ms us ns)");
  return finish_duration(neg, months, days, nanos);
}

result<cql_value> parse_blob(std::string_view s) {
  if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s.size() % 2 != 0) return bad(0, "blob 0x and hex pairs");
  blob b;
  b.reserve((s.size() - 2) / 2);
  for (std::size_t i = 2; i < s.size(); i += 2) {
    const int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) return bad(i, "blob 0x and hex pairs");
    b.push_back(static_cast<std::byte>(hi * 16 + lo));
  }
  return cql_value(std::move(b));
}

template <class F>
result<cql_value> parse_float(std::string_view s, const char* field) {
  if (s == "NaN") return cql_value(std::numeric_limits<F>::quiet_NaN());
  if (s == "Infinity" || s == "+Infinity") return cql_value(std::numeric_limits<F>::infinity());
  if (s == "-Infinity") return cql_value(-std::numeric_limits<F>::infinity());
  // strtod-like parsing without locale: from_chars, but not its "inf"/"nan" spellings.
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E')
      return bad(0, field);
  F v{};
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return bad(0, field);
  return cql_value(v);
}

template <class T>
result<cql_value> parse_integer(std::string_view s, const char* field) {
  auto v = whole_int<T>(s);
  if (!v) return bad(0, field);
  return cql_value(*v);
}

result<cql_value> parse_decimal(std::string_view s) {
  // [-]digits[.digits][e[+-]digits]: unscaled digits and a scale.
  std::string unscaled;
  std::size_t pos = 0;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) unscaled += s[pos++] == '-' ? "-" : "";
  std::int64_t scale = 0;
  bool any = false, dot = false;
  for (; pos < s.size(); ++pos) {
    const char c = s[pos];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      unscaled += c;
      any = true;
      if (dot) ++scale;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any) return bad(pos, "decimal digits");
  if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
    auto e = whole_int<std::int32_t>(s.substr(pos + 1));
    if (!e) return bad(pos + 1, "decimal exponent");
    scale -= *e;
    pos = s.size();
  }
  if (pos != s.size()) return bad(pos, "end of the decimal");
  if (scale < std::numeric_limits<std::int32_t>::min() || scale > std::numeric_limits<std::int32_t>::max())
    return bad(0, "decimal scale within 32 bits", errc::too_large);
  auto v = varint::from_string(unscaled);
  if (!v) return bad(0, "decimal digits");
  return cql_value(decimal{std::move(*v), static_cast<std::int32_t>(scale)});
}

}  // namespace

std::optional<uuid> parse_uuid(std::string_view s) {
  if (s.size() != 36) return std::nullopt;
  uuid u;
  std::size_t b = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0 || i + 1 == 8 || i + 1 == 13 || i + 1 == 18 || i + 1 == 23) return std::nullopt;
    u.bytes[b++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return u;
}

std::optional<inet_address> parse_inet(std::string_view s) {
  auto ipv4 = [](std::string_view t, std::uint8_t* out) {
    int parts = 0;
    std::size_t pos = 0;
    while (parts < 4) {
      const std::size_t start = pos;
      auto v = digits(t, pos, 1, 3);
      if (!v || *v > 255 || (pos - start > 1 && t[start] == '0')) return false;
      out[parts++] = static_cast<std::uint8_t>(*v);
      if (parts < 4 && (pos >= t.size() || t[pos++] != '.')) return false;
    }
    return pos == t.size();
  };
  inet_address a;
  if (s.find(':') == std::string_view::npos) {
    a.size = 4;
    if (!ipv4(s, a.bytes.data())) return std::nullopt;
    return a;
  }
  a.size = 16;
  std::uint16_t groups[8] = {};
  int n = 0, gap = -1;  // groups read; where "::" stands
  std::size_t pos = 0;
  if (s.substr(0, 2) == "::") {
    gap = 0;
    pos = 2;
  } else if (!s.empty() && s[0] == ':') {
    return std::nullopt;
  }
  while (pos < s.size()) {
    const std::size_t start = pos;
    unsigned v = 0;
    while (pos < s.size() && pos - start < 4 && hex_digit(s[pos]) >= 0) v = v * 16 + static_cast<unsigned>(hex_digit(s[pos++]));
    if (pos < s.size() && s[pos] == '.') {  // a trailing IPv4 part: two groups
      if (n > 6) return std::nullopt;
      std::uint8_t q[4];
      if (!ipv4(s.substr(start), q)) return std::nullopt;
      groups[n++] = static_cast<std::uint16_t>(q[0] << 8 | q[1]);
      groups[n++] = static_cast<std::uint16_t>(q[2] << 8 | q[3]);
      pos = s.size();
      break;
    }
    if (pos == start || n == 8) return std::nullopt;
    groups[n++] = static_cast<std::uint16_t>(v);
    if (pos == s.size()) break;
    if (s[pos] != ':') return std::nullopt;
    ++pos;
    if (pos < s.size() && s[pos] == ':') {
      if (gap >= 0) return std::nullopt;  // two "::"
      gap = n;
      ++pos;
    } else if (pos == s.size()) {
      return std::nullopt;  // a trailing single ':'
    }
  }
  if (gap < 0 ? n != 8 : n > 7) return std::nullopt;
  std::uint16_t full[8] = {};
  if (gap < 0) {
    for (int i = 0; i < 8; ++i) full[i] = groups[i];
  } else {
    for (int i = 0; i < gap; ++i) full[i] = groups[i];
    for (int i = gap; i < n; ++i) full[8 - (n - i)] = groups[i];
  }
  for (int i = 0; i < 8; ++i) {
    a.bytes[2 * i] = static_cast<std::uint8_t>(full[i] >> 8);
    a.bytes[2 * i + 1] = static_cast<std::uint8_t>(full[i] & 0xFF);
  }
  return a;
}

result<cql_value> value_from_text(std::string_view s, const type_spec& t) {
  switch (t.kind) {
    case type_kind::ascii:
      for (std::size_t i = 0; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) > 0x7F) return bad(i, "ascii (bytes 0-127)");
      return cql_value(std::string(s));
    case type_kind::varchar: return cql_value(std::string(s));
    case type_kind::blob: return parse_blob(s);
    case type_kind::boolean:
      if (lower_equals(s, "true")) return cql_value(true);
      if (lower_equals(s, "false")) return cql_value(false);
      return bad(0, "boolean true or false");
    case type_kind::tinyint: return parse_integer<std::int8_t>(s, "tinyint -128 .. 127");
    case type_kind::smallint: return parse_integer<std::int16_t>(s, "smallint -32768 .. 32767");
    case type_kind::int_: return parse_integer<std::int32_t>(s, "int (32 bits)");
    case type_kind::bigint:
    case type_kind::counter: return parse_integer<std::int64_t>(s, "bigint (64 bits)");
    case type_kind::varint: {
      auto v = varint::from_string(!s.empty() && s[0] == '+' ? s.substr(1) : s);
      if (!v) return bad(0, "varint digits");
      return cql_value(std::move(*v));
    }
    case type_kind::decimal: return parse_decimal(s);
    case type_kind::float_: return parse_float<float>(s, "float");
    case type_kind::double_: return parse_float<double>(s, "double");
    case type_kind::uuid:
    case type_kind::timeuuid: {
      auto u = parse_uuid(s);
      if (!u) return bad(0, "uuid 8-4-4-4-12 hex");
      if (t.kind == type_kind::timeuuid && !is_time_uuid(*u)) return bad(14, "timeuuid (a version-1 uuid)");
      return cql_value(*u);
    }
    case type_kind::inet: {
      auto a = parse_inet(s);
      if (!a) return bad(0, "inet IPv4 or IPv6 address");
      return cql_value(*a);
    }
    case type_kind::date: return parse_date(s);
    case type_kind::time: return parse_time(s);
    case type_kind::timestamp: return parse_timestamp(s);
    case type_kind::duration: return parse_duration(s);
    default: return bad(0, "a type with a text form (not a collection, tuple, UDT, vector or custom)", errc::type_mismatch);
  }
}

}  // namespace cqlpp::protocol
