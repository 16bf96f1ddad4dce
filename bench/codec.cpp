// Throughput of the message codec on the two hot paths of a client:
//   1. decoding a Rows RESULT (5,000 rows x 10 mixed columns) to typed values,
//      through the zero-copy typed views and through the owning cql_value path;
//   2. encoding EXECUTE requests with 5 bound values, from pre-serialised
//      cells and from C++ values through encode_value_bytes.
// Each figure is set against memcpy over the same bytes in the same run, and
// heap allocations are counted by a replaced global operator new.
// Not a test: timings on a shared machine are not pass/fail material.
// Usage: codec_bench [runs, default 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/protocol/typed_view.hpp"
#include "cqlpp/protocol/value.hpp"

// --- allocation counter -----------------------------------------------------
// Every ordinary new in the binary (the codec's vectors and strings included)
// goes through here; the aligned overloads are left alone (nothing uses them).
namespace {
std::size_t g_allocs = 0;
}  // namespace

void* operator new(std::size_t n) {
  ++g_allocs;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace cqlpp::protocol;
using clock_type = std::chrono::steady_clock;

constexpr int row_count = 5000;
constexpr int frames_per_run = 20;  // ~18 MB of frame bytes per timed run
constexpr int execute_count = 100000;
constexpr auto version = protocol_version::v4;

// Keeps a buffer's contents observable so memcpy loops are not elided.
void clobber(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

struct stats {
  double median = 0, min = 0, max = 0;  // seconds per run
};

// One warm-up run, then `runs` timed ones.
template <class F>
stats measure(int runs, F&& f) {
  f();
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = clock_type::now();
    f();
    t.push_back(std::chrono::duration<double>(clock_type::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t.front(), t.back()};
}

// Allocations made by one call of f.
template <class F>
std::size_t count_allocs(F&& f) {
  const std::size_t before = g_allocs;
  f();
  return g_allocs - before;
}

void print_rate(const char* name, const stats& s, double bytes, double items, const char* unit,
                const stats* baseline) {
  const double mb = bytes / 1e6;
  std::printf("%-34s %8.0f MB/s (min %.0f, max %.0f)  %7.2f M %s/s  %6.1f ns/%s", name,
              mb / s.median, mb / s.max, mb / s.min, items / s.median / 1e6, unit,
              s.median / items * 1e9, unit);
  if (baseline) std::printf("  = %.3fx memcpy", baseline->median / s.median);
  std::printf("\n");
}

// --- the Rows frame ----------------------------------------------------------

std::vector<type_spec> row_types() {
  return {type_spec::simple(type_kind::int_),    type_spec::simple(type_kind::bigint),
          type_spec::simple(type_kind::varchar), type_spec::simple(type_kind::double_),
          type_spec::simple(type_kind::uuid),    type_spec::simple(type_kind::timestamp),
          type_spec::simple(type_kind::boolean), type_spec::simple(type_kind::blob),
          type_spec::list_of(type_spec::simple(type_kind::int_)),
          type_spec::simple(type_kind::float_)};
}

uuid make_uuid(std::uint32_t i) {
  uuid u;
  for (std::size_t k = 0; k < 16; ++k) u.bytes[k] = static_cast<std::uint8_t>(i * 31 + k * 7);
  u.bytes[6] = 0x40 | (u.bytes[6] & 0x0F);  // version 4
  return u;
}

std::vector<cql_value> row_values(int i) {
  char text[32];
  std::snprintf(text, sizeof text, "user-%06d-abcdefghi", i);  // 20 chars
  blob b(32);
  for (std::size_t k = 0; k < b.size(); ++k) b[k] = static_cast<std::byte>(i + static_cast<int>(k));
  cql_list l;
  for (int k = 0; k < 4; ++k) l.items.emplace_back(std::int32_t{i + k});
  return {std::int32_t{i * 7},
          std::int64_t{i} * 1'000'000'007,
          std::string(text),
          i * 0.5,
          make_uuid(static_cast<std::uint32_t>(i)),
          timestamp_value{1'700'000'000'000 + i},
          (i & 1) != 0,
          std::move(b),
          std::move(l),
          static_cast<float>(i) * 0.25f};
}

std::vector<std::byte> build_rows_frame() {
  const auto types = row_types();
  rows_metadata md;
  md.column_count = static_cast<std::int32_t>(types.size());
  md.global_table = table_spec{"bench", "t"};
  for (std::size_t c = 0; c < types.size(); ++c) {
    char name[24];
    std::snprintf(name, sizeof name, "c%zu", c);
    md.columns.push_back({"bench", "t", name, types[c]});
  }
  std::vector<std::byte> content;
  writer w(content);
  for (int i = 0; i < row_count; ++i) {
    const auto vals = row_values(i);
    for (std::size_t c = 0; c < types.size(); ++c)
      if (encode_value(w, vals[c], types[c])) std::abort();
  }
  std::vector<std::byte> frame;
  if (encode_response(frame, rows_result(std::move(md), row_count, content), 0, version))
    std::abort();
  return frame;
}

const rows_result& rows_of(const result<response_envelope>& env) {
  if (!env) std::abort();
  return std::get<rows_result>(env->message);
}

template <class T>
T get(value_view cell, const type_spec& t) {
  auto r = decode_as<T>(cell.bytes, t);
  if (!r) std::abort();
  return *r;
}

// Typed views: every cell through decode_as, the list through collection_view.
std::uint64_t decode_typed(const frame_view& frame) {
  const auto env = decode_response(frame, version);
  const rows_result& rr = rows_of(env);
  const auto& cols = rr.metadata().columns;
  std::uint64_t sum = 0;
  for (const row_view row : rr) {
    sum += static_cast<std::uint32_t>(get<std::int32_t>(row[0], cols[0].type));
    sum += static_cast<std::uint64_t>(get<std::int64_t>(row[1], cols[1].type));
    const auto s = get<std::string_view>(row[2], cols[2].type);
    sum += s.size() + static_cast<unsigned char>(s.back());
    sum += static_cast<std::uint64_t>(get<double>(row[3], cols[3].type));
    sum += get<uuid>(row[4], cols[4].type).bytes[15];
    sum += static_cast<std::uint64_t>(get<std::int64_t>(row[5], cols[5].type));
    sum += get<bool>(row[6], cols[6].type) ? 1 : 0;
    const auto b = get<std::string_view>(row[7], cols[7].type);
    sum += b.size() + static_cast<unsigned char>(b[0]);
    const auto list = collection_view::make(row[8].bytes, cols[8].type);
    if (!list) std::abort();
    for (const value_view e : *list)
      sum += static_cast<std::uint32_t>(get<std::int32_t>(e, list->element_type()));
    sum += static_cast<std::uint64_t>(get<float>(row[9], cols[9].type));
  }
  return sum;
}

// The owning path: decode_value per cell into a cql_value.
std::uint64_t decode_dynamic(const frame_view& frame) {
  const auto env = decode_response(frame, version);
  const rows_result& rr = rows_of(env);
  const auto& cols = rr.metadata().columns;
  std::uint64_t sum = 0;
  for (const row_view row : rr) {
    for (std::size_t c = 0; c < cols.size(); ++c) {
      auto v = decode_value(row[c], cols[c].type);
      if (!v) std::abort();
      sum += v->v.index();
      if (const auto* i = v->get_if<std::int32_t>()) sum += static_cast<std::uint32_t>(*i);
      if (const auto* s = v->get_if<std::string>()) sum += s->size();
      if (const auto* l = v->get_if<cql_list>()) sum += l->items.size();
    }
  }
  return sum;
}

// --- EXECUTE -----------------------------------------------------------------

std::vector<type_spec> bind_types() {
  return {type_spec::simple(type_kind::int_), type_spec::simple(type_kind::bigint),
          type_spec::simple(type_kind::varchar), type_spec::simple(type_kind::double_),
          type_spec::simple(type_kind::uuid)};
}

std::vector<cql_value> bind_values() {
  return {std::int32_t{42}, std::int64_t{1'234'567'890'123}, std::string("user-000042-abcdefghi"),
          3.25, make_uuid(42)};
}

request make_execute() {
  execute_request ex;
  ex.id.resize(16);
  for (std::size_t k = 0; k < 16; ++k) ex.id[k] = static_cast<std::byte>(0xA0 + k);
  ex.params.cl = consistency::local_quorum;
  ex.params.values.emplace(5);
  return ex;
}

// Points the request's values at `bytes`, which holds the cells back to back
// at `offsets` (one more than there are values: the end).
void bind(request& r, const std::vector<std::byte>& bytes, const std::size_t* offsets) {
  auto& vals = *std::get<execute_request>(r).params.values;
  for (std::size_t k = 0; k < vals.size(); ++k)
    vals[k] = value_view::of(bytes_view(bytes).subspan(offsets[k], offsets[k + 1] - offsets[k]));
}

// Serialises `vals` into `scratch` (cleared) and binds them.
void serialise(request& r, const std::vector<cql_value>& vals, const std::vector<type_spec>& types,
               std::vector<std::byte>& scratch) {
  scratch.clear();
  writer w(scratch);
  std::size_t offsets[6] = {};
  for (std::size_t k = 0; k < vals.size(); ++k) {
    if (encode_value_bytes(w, vals[k], types[k])) std::abort();
    offsets[k + 1] = scratch.size();
  }
  bind(r, scratch, offsets);
}

std::int16_t stream_of(int i) { return static_cast<std::int16_t>(i & 0x7FFF); }

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::printf("cqlpp codec bench: %d runs after one warm-up; median (min, max) throughput\n\n",
              runs);

  // 1. Rows decode.
  const auto frame_bytes = build_rows_frame();
  const auto fr = decode_frame(frame_bytes);
  if (!std::holds_alternative<frame_view>(fr)) std::abort();
  const frame_view frame = std::get<frame_view>(fr);
  const double rows_bytes = static_cast<double>(frame_bytes.size()) * frames_per_run;
  const double rows_total = static_cast<double>(row_count) * frames_per_run;
  std::printf("Rows RESULT: %d rows x 10 columns, frame %zu bytes (%.1f bytes/row), %d frames/run\n",
              row_count, frame_bytes.size(), static_cast<double>(frame_bytes.size()) / row_count,
              frames_per_run);

  std::vector<std::byte> copy(frame_bytes.size());
  const auto rows_memcpy = measure(runs, [&] {
    for (int f = 0; f < frames_per_run; ++f) {
      std::memcpy(copy.data(), frame_bytes.data(), frame_bytes.size());
      clobber(copy.data());
    }
  });
  std::uint64_t sink = 0;
  const auto typed = measure(runs, [&] {
    for (int f = 0; f < frames_per_run; ++f) sink += decode_typed(frame);
  });
  const auto dynamic = measure(runs, [&] {
    for (int f = 0; f < frames_per_run; ++f) sink += decode_dynamic(frame);
  });
  print_rate("  memcpy of the frame", rows_memcpy, rows_bytes, rows_total, "row", nullptr);
  print_rate("  rows decode, typed views", typed, rows_bytes, rows_total, "row", &rows_memcpy);
  print_rate("  rows decode, decode_value", dynamic, rows_bytes, rows_total, "row", &rows_memcpy);
  const auto typed_allocs = count_allocs([&] { sink += decode_typed(frame); });
  const auto dynamic_allocs = count_allocs([&] { sink += decode_dynamic(frame); });
  std::printf("  allocations: typed %zu per frame = %.4f per row; decode_value %zu per frame = "
              "%.2f per row\n\n",
              typed_allocs, static_cast<double>(typed_allocs) / row_count, dynamic_allocs,
              static_cast<double>(dynamic_allocs) / row_count);

  // 2. EXECUTE encode, appended into one big buffer that is reset every run.
  const auto types = bind_types();
  auto vals = bind_values();
  request req = make_execute();
  std::vector<std::byte> pre;  // the pre-serialised cells
  serialise(req, vals, types, pre);
  std::vector<std::byte> one;
  if (encode_request(one, req, 0, version)) std::abort();
  const double exec_bytes = static_cast<double>(one.size()) * execute_count;
  std::printf("EXECUTE: 5 values (int, bigint, text, double, uuid), %zu bytes/message, %d "
              "messages/run\n", one.size(), execute_count);

  std::vector<std::byte> out;
  out.reserve(one.size() * execute_count);
  const auto exec_memcpy = measure(runs, [&] {
    out.resize(one.size() * execute_count);
    for (std::size_t i = 0, off = 0; i < execute_count; ++i, off += one.size())
      std::memcpy(out.data() + off, one.data(), one.size());
    clobber(out.data());
  });
  const auto encode_pre = [&] {
    out.clear();
    for (int i = 0; i < execute_count; ++i)
      if (encode_request(out, req, stream_of(i), version)) std::abort();
  };
  std::vector<std::byte> scratch;
  scratch.reserve(256);
  const auto encode_cpp = [&] {
    out.clear();
    for (int i = 0; i < execute_count; ++i) {
      std::get<std::int32_t>(vals[0].v) = i;
      std::get<std::int64_t>(vals[1].v) = std::int64_t{i} * 1'000'003;
      std::get<double>(vals[3].v) = i * 0.5;
      std::get<uuid>(vals[4].v).bytes[15] = static_cast<std::uint8_t>(i);
      serialise(req, vals, types, scratch);
      if (encode_request(out, req, stream_of(i), version)) std::abort();
    }
  };
  const auto pre_stats = measure(runs, encode_pre);
  const auto cpp_stats = measure(runs, encode_cpp);
  print_rate("  memcpy of the messages", exec_memcpy, exec_bytes, execute_count, "msg", nullptr);
  print_rate("  execute encode, pre-serialised", pre_stats, exec_bytes, execute_count, "msg",
             &exec_memcpy);
  print_rate("  execute encode, from C++ values", cpp_stats, exec_bytes, execute_count, "msg",
             &exec_memcpy);
  const auto pre_allocs = count_allocs(encode_pre);
  const auto cpp_allocs = count_allocs(encode_cpp);
  std::printf("  allocations: pre-serialised %.4f per message; from C++ values %.4f per message\n",
              static_cast<double>(pre_allocs) / execute_count,
              static_cast<double>(cpp_allocs) / execute_count);

  std::printf("\n(checksum %llu)\n", static_cast<unsigned long long>(sink + out.size()));
  return 0;
}
