// A recursive-descent reader of CQL type syntax (see type_syntax.hpp).
#include "cqlpp/protocol/type_syntax.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <utility>

namespace cqlpp::protocol {
namespace {

constexpr std::array<std::pair<std::string_view, type_kind>, 21> native_names{{
    {"ascii", type_kind::ascii},       {"bigint", type_kind::bigint},     {"blob", type_kind::blob},
    {"boolean", type_kind::boolean},   {"counter", type_kind::counter},   {"date", type_kind::date},
    {"decimal", type_kind::decimal},   {"double", type_kind::double_},    {"duration", type_kind::duration},
    {"float", type_kind::float_},      {"inet", type_kind::inet},         {"int", type_kind::int_},
    {"smallint", type_kind::smallint}, {"text", type_kind::varchar},      {"varchar", type_kind::varchar},
    {"time", type_kind::time},         {"timestamp", type_kind::timestamp}, {"timeuuid", type_kind::timeuuid},
    {"tinyint", type_kind::tinyint},   {"uuid", type_kind::uuid},         {"varint", type_kind::varint},
}};

class parser {
 public:
  parser(std::string_view text, const udt_lookup& lookup) : s_(text), lookup_(lookup) {}

  result<type_spec> whole(int max_depth) {
    auto t = type(max_depth);
    if (!t) return t;
    skip_space();
    if (pos_ != s_.size()) return fail("end of the type");
    return t;
  }

 private:
  struct name {
    std::string text;
    bool quoted = false;
  };

  decode_error fail(const char* expected, errc code = errc::invalid_value) const {
    return decode_error{make_error_code(code), pos_, expected};
  }

  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }

  bool eat(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // An identifier: unquoted (letters, digits, '_'; lower-cased) or "quoted" ("" is a quote).
  std::optional<name> identifier() {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == '"') {
      name n{{}, true};
      for (std::size_t i = pos_ + 1; i < s_.size(); ++i) {
        if (s_[i] != '"') {
          n.text += s_[i];
        } else if (i + 1 < s_.size() && s_[i + 1] == '"') {
          n.text += '"';
          ++i;
        } else {
          if (n.text.empty()) return std::nullopt;
          pos_ = i + 1;
          return n;
        }
      }
      return std::nullopt;  // unterminated
    }
    const std::size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
    if (pos_ == start || std::isdigit(static_cast<unsigned char>(s_[start]))) {
      pos_ = start;
      return std::nullopt;
    }
    name n{std::string(s_.substr(start, pos_ - start)), false};
    for (auto& c : n.text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return n;
  }

  // The parameters of a generic type after its name: '<' T (',' T)* '>'.
  std::optional<decode_error> params(type_spec& t, int max_depth, std::size_t count_min, std::size_t count_max) {
    if (!eat('<')) return fail("'<'");
    for (;;) {
      auto p = type(max_depth - 1);
      if (!p) return p.error();
      t.params.push_back(std::move(*p));
      if (eat('>')) break;
      if (t.params.size() == count_max) return fail("'>'");
      if (!eat(',')) return fail("',' or '>'");
    }
    if (t.params.size() < count_min) return fail("more type parameters");
    return std::nullopt;
  }

  result<type_spec> type(int max_depth) {
    if (max_depth <= 0) return fail("type (nested too deep)", errc::nesting_too_deep);
    skip_space();
    const std::size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '\'') {  // a custom type: its Java class
      const auto end = s_.find('\'', pos_ + 1);
      if (end == std::string_view::npos || end == pos_ + 1) return fail("custom class name in quotes");
      type_spec t = type_spec::simple(type_kind::custom);
      t.custom_class = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return t;
    }
    auto n = identifier();
    if (!n) return fail("type name");
    if (!n->quoted) {
      const std::string& w = n->text;
      type_spec t;
      if (w == "frozen") {
        if (!eat('<')) return fail("'<'");
        auto inner = type(max_depth - 1);
        if (!inner) return inner;
        if (!eat('>')) return fail("'>'");
        inner->frozen = true;
        return inner;
      }
      if (w == "list" || w == "set") {
        t.kind = w == "list" ? type_kind::list : type_kind::set;
        if (auto e = params(t, max_depth, 1, 1)) return *e;
        return t;
      }
      if (w == "map") {
        t.kind = type_kind::map;
        if (auto e = params(t, max_depth, 2, 2)) return *e;
        return t;
      }
      if (w == "tuple") {
        t.kind = type_kind::tuple;
        if (auto e = params(t, max_depth, 1, 0xFFFF)) return *e;
        return t;
      }
      if (w == "vector") {
        t.kind = type_kind::vector;
        if (!eat('<')) return fail("'<'");
        auto e = type(max_depth - 1);
        if (!e) return e;
        t.params.push_back(std::move(*e));
        if (!eat(',')) return fail("','");
        skip_space();
        std::uint32_t dim = 0;
        const char* first = s_.data() + pos_;
        const auto [end, ec] = std::from_chars(first, s_.data() + s_.size(), dim);
        if (ec != std::errc{} || dim == 0) return fail("vector dimension (a positive integer)");
        pos_ += static_cast<std::size_t>(end - first);
        t.dimension = dim;
        if (!eat('>')) return fail("'>'");
        return t;
      }
      for (const auto& [native, kind] : native_names) {
        if (w == native) return type_spec::simple(kind);
      }
    }
    // A user-defined type: name or keyspace.name.
    std::string keyspace, udt = n->text;
    if (eat('.')) {
      auto second = identifier();
      if (!second) return fail("UDT name after '.'");
      keyspace = std::move(udt);
      udt = std::move(second->text);
    }
    std::optional<type_spec> found;
    if (lookup_) found = lookup_(keyspace, udt);
    if (!found || found->kind != type_kind::udt) {
      pos_ = start;
      return fail("UDT known to the lookup");
    }
    return std::move(*found);
  }

  std::string_view s_;
  const udt_lookup& lookup_;
  std::size_t pos_ = 0;
};

}  // namespace

result<type_spec> parse_cql_type(std::string_view text, const udt_lookup& lookup, int max_depth) {
  return parser(text, lookup).whole(max_depth);
}

}  // namespace cqlpp::protocol
