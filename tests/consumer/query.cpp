// A program as a user writes it against an installed cqlpp: one include, one
// query against the node given (tests/consumer/run builds it with pkg-config
// and with CMake, outside the source tree).
#include <cqlpp/cqlpp.hpp>

#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: query HOST\n";
    return 2;
  }
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  int rc = 1;
  try {
    cqlpp::session_options o;
    o.connection.host = argv[1];
    auto s = cqlpp::session::async_connect(io.get_executor(), o, asio::use_future).get();
    auto r = s.async_query(cqlpp::statement("SELECT release_version FROM system.local"), asio::use_future).get();
    const cqlpp::streaming::row row(*r.rows()->begin());
    std::cout << "release_version " << row.get<std::string>(0).value().value_or("?") << "\n";
    rc = 0;
  } catch (const cqlpp::connect_error& e) {
    std::cerr << "query: cannot connect: " << e.detail() << "\n";
  } catch (const std::system_error& e) {
    std::cerr << "query: " << e.code().message() << "\n";
  }
  work.reset();
  runner.join();
  return rc;
}
