#include "cqlpp/protocol/marshal_name.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace cqlpp::protocol {

namespace {

struct simple_name {
  std::string_view java;
  type_kind kind;
};

// The simple types of v4/v5 §6 by their Java class names. DateType is the
// pre-2.0 name of timestamp and still parses as one.
constexpr std::array<simple_name, 21> simple_names{{
    {"AsciiType", type_kind::ascii},
    {"LongType", type_kind::bigint},
    {"BytesType", type_kind::blob},
    {"BooleanType", type_kind::boolean},
    {"CounterColumnType", type_kind::counter},
    {"DecimalType", type_kind::decimal},
    {"DoubleType", type_kind::double_},
    {"FloatType", type_kind::float_},
    {"Int32Type", type_kind::int_},
    {"TimestampType", type_kind::timestamp},
    {"UUIDType", type_kind::uuid},
    {"UTF8Type", type_kind::varchar},
    {"IntegerType", type_kind::varint},
    {"TimeUUIDType", type_kind::timeuuid},
    {"InetAddressType", type_kind::inet},
    {"SimpleDateType", type_kind::date},
    {"TimeType", type_kind::time},
    {"ShortType", type_kind::smallint},
    {"ByteType", type_kind::tinyint},
    {"DurationType", type_kind::duration},
    {"DateType", type_kind::timestamp},
}};

bool is_identifier_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '+' || c == '.' || c == '_' || c == '&';
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Recursive-descent parser over the TypeParser grammar. Errors are sticky.
class parser {
 public:
  explicit parser(std::string_view s) : s_(s) {}

  bool ok() const { return !failed_; }
  decode_error error() const { return err_; }
  bool at_end() { skip_blank(); return pos_ == s_.size(); }
  std::size_t pos() const { return pos_; }

  void fail(errc e) {
    if (failed_) return;
    failed_ = true;
    err_ = decode_error{make_error_code(e), pos_, "marshal name"};
  }

  type_spec parse_type(int depth) {
    type_spec t;
    if (depth <= 0) { fail(errc::nesting_too_deep); return t; }
    skip_blank();
    const std::size_t start = pos_;
    const std::string_view id = identifier();
    if (id.empty()) { fail(errc::invalid_value); return t; }
    std::string_view shortname = id;
    if (shortname.starts_with(marshal_prefix)) shortname.remove_prefix(marshal_prefix.size());
    skip_blank();
    const bool has_params = pos_ < s_.size() && s_[pos_] == '(';

    for (const auto& n : simple_names) {
      if (n.java == shortname) {
        if (has_params) fail(errc::invalid_value);
        t.kind = n.kind;
        return t;
      }
    }
    if (!has_params) return custom(start, start + id.size());
    if (shortname == "ListType" || shortname == "SetType") {
      t.kind = shortname == "ListType" ? type_kind::list : type_kind::set;
      t.params = type_list(depth);
      if (ok() && t.params.size() != 1) fail(errc::invalid_value);
    } else if (shortname == "MapType") {
      t.kind = type_kind::map;
      t.params = type_list(depth);
      if (ok() && t.params.size() != 2) fail(errc::invalid_value);
    } else if (shortname == "TupleType") {
      t.kind = type_kind::tuple;
      t.params = type_list(depth);
    } else if (shortname == "ReversedType" || shortname == "FrozenType") {
      auto ps = type_list(depth);
      if (ok() && ps.size() != 1) fail(errc::invalid_value);
      if (!ok()) return t;
      return std::move(ps[0]);
    } else if (shortname == "VectorType") {
      vector_params(t, depth);
    } else if (shortname == "UserType") {
      user_type_params(t, depth);
    } else {
      skip_balanced();
      return custom(start, pos_);
    }
    return t;
  }

 private:
  void skip_blank() {
    while (pos_ < s_.size() && is_blank(s_[pos_])) ++pos_;
  }
  // Like TypeParser.skipBlankAndComma: blanks and at most one comma.
  void skip_blank_and_comma() {
    skip_blank();
    if (pos_ < s_.size() && s_[pos_] == ',') ++pos_;
    skip_blank();
  }
  std::string_view identifier() {
    const std::size_t b = pos_;
    while (pos_ < s_.size() && is_identifier_char(s_[pos_])) ++pos_;
    return s_.substr(b, pos_ - b);
  }
  bool expect(char c) {
    skip_blank();
    if (pos_ >= s_.size() || s_[pos_] != c) { fail(errc::invalid_value); return false; }
    ++pos_;
    return true;
  }
  // The class name as written, without the blanks that may follow it.
  type_spec custom(std::size_t start, std::size_t end) {
    type_spec t;
    t.kind = type_kind::custom;
    t.custom_class = std::string(s_.substr(start, end - start));
    return t;
  }
  // Unknown parameterised class: keep it whole, so only the parentheses must balance.
  void skip_balanced() {
    int level = 0;
    do {
      if (pos_ >= s_.size()) { fail(errc::invalid_value); return; }
      if (s_[pos_] == '(') ++level;
      if (s_[pos_] == ')') --level;
      ++pos_;
    } while (level > 0);
  }
  // "(" [type {"," type}] ")"
  std::vector<type_spec> type_list(int depth) {
    std::vector<type_spec> out;
    if (!expect('(')) return out;
    for (;;) {
      skip_blank_and_comma();
      if (pos_ >= s_.size()) { fail(errc::invalid_value); return out; }
      if (s_[pos_] == ')') { ++pos_; return out; }
      out.push_back(parse_type(depth - 1));
      if (!ok()) return out;
    }
  }
  // VectorType "(" type "," dimension ")"; Cassandra requires dimension > 0.
  void vector_params(type_spec& t, int depth) {
    t.kind = type_kind::vector;
    if (!expect('(')) return;
    t.params.push_back(parse_type(depth - 1));
    skip_blank_and_comma();
    const std::string_view digits = identifier();
    std::uint64_t dim = 0;
    for (char c : digits) {
      if (c < '0' || c > '9' || dim > 0x7FFFFFFF) { fail(errc::invalid_value); return; }
      dim = dim * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (digits.empty() || dim == 0 || dim > 0x7FFFFFFF) { fail(errc::invalid_value); return; }
    t.dimension = static_cast<std::uint32_t>(dim);
    expect(')');
  }
  std::string hex_name() {
    const std::string_view h = identifier();
    std::string out;
    if (h.size() % 2 != 0) { fail(errc::invalid_value); return out; }
    for (std::size_t i = 0; i < h.size(); i += 2) {
      const int a = hex_digit(h[i]), b = hex_digit(h[i + 1]);
      if (a < 0 || b < 0) { fail(errc::invalid_value); return out; }
      out += static_cast<char>(a * 16 + b);
    }
    return out;
  }
  // UserType "(" keyspace "," hex(name) {"," hex(field) ":" type} ")"
  void user_type_params(type_spec& t, int depth) {
    t.kind = type_kind::udt;
    if (!expect('(')) return;
    skip_blank_and_comma();
    t.udt_keyspace = std::string(identifier());
    skip_blank_and_comma();
    t.udt_name = hex_name();
    for (;;) {
      if (!ok()) return;
      skip_blank_and_comma();
      if (pos_ >= s_.size()) { fail(errc::invalid_value); return; }
      if (s_[pos_] == ')') { ++pos_; return; }
      t.field_names.push_back(hex_name());
      if (!expect(':')) return;
      t.params.push_back(parse_type(depth - 1));
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  decode_error err_;
};

std::string to_hex(std::string_view s) {
  static constexpr char d[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

std::string qualified(std::string_view shortname) {
  return std::string(marshal_prefix) + std::string(shortname);
}

std::string join_params(const std::vector<type_spec>& ps) {
  std::string s = "(";
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (i) s += ',';
    s += to_marshal_name(ps[i]);
  }
  return s + ")";
}

bool is_multi_cell_kind(type_kind k) {
  return k == type_kind::list || k == type_kind::set || k == type_kind::map || k == type_kind::udt;
}

}  // namespace

result<type_spec> parse_marshal_name(std::string_view name, int max_depth) {
  parser p(name);
  type_spec t = p.parse_type(max_depth);
  if (p.ok() && !p.at_end()) p.fail(errc::trailing_bytes);
  if (!p.ok()) return p.error();
  return t;
}

std::string to_marshal_name(const type_spec& t) {
  for (const auto& n : simple_names)
    if (n.kind == t.kind) return qualified(n.java);
  switch (t.kind) {
    case type_kind::list: return qualified("ListType") + join_params(t.params);
    case type_kind::set: return qualified("SetType") + join_params(t.params);
    case type_kind::map: return qualified("MapType") + join_params(t.params);
    case type_kind::tuple: return qualified("TupleType") + join_params(t.params);
    case type_kind::udt: {
      std::string s = qualified("UserType") + "(" + t.udt_keyspace + "," + to_hex(t.udt_name);
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        s += ',';
        s += to_hex(i < t.field_names.size() ? t.field_names[i] : std::string());
        s += ':';
        s += to_marshal_name(t.params[i]);
      }
      return s + ")";
    }
    case type_kind::vector: {
      // VectorType.toString / TypeParser.stringifyVectorParameters write " , ".
      std::string elem = t.params.empty() ? qualified("BytesType") : to_marshal_name(t.params[0]);
      if (!t.params.empty() && is_multi_cell_kind(t.params[0].kind))
        elem = qualified("FrozenType") + "(" + elem + ")";
      return qualified("VectorType") + "(" + elem + " , " + std::to_string(t.dimension) + ")";
    }
    case type_kind::custom: return t.custom_class;
    default: return t.custom_class;
  }
}

}  // namespace cqlpp::protocol
