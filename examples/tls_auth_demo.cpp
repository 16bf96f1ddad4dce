// Example: TLS with certificate verification and password authentication.
// Against a node started with `scripts/cassandra start --auth --tls`:
//
//   tls_auth_demo 127.0.0.1 "$CQLPP_CASSANDRA_RUN/ca.pem" cassandra cassandra
//
// Usage: tls_auth_demo HOST CA_PEM USER PASSWORD
#include <asio.hpp>
#include <iostream>

#include "cqlpp/session/session.hpp"

using namespace cqlpp;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: tls_auth_demo HOST CA_PEM USER PASSWORD\n";
    return 2;
  }
  asio::io_context io;
  session_options o;
  o.connection.host = argv[1];
  o.connection.tls.enabled = true;
  o.connection.tls.ca_file = argv[2];  // the node's certificate must chain to it and name HOST
  o.connection.auth = transport::credentials{argv[3], argv[4]};
  int rc = 1;
  session s;  // outlives the callbacks: io.run() returns after they ran
  session::async_connect(io.get_executor(), o, [&](std::error_code ec, session connected) {
    if (ec) {
      std::cerr << "tls_auth_demo: cannot connect: " << connected.error_detail() << "\n";
      return;
    }
    s = std::move(connected);
    s.async_query(statement("SELECT release_version FROM system.local"), [&](std::error_code ec, query_result r) {
      if (ec) {
        std::cerr << "tls_auth_demo: " << ec.message() << " " << r.error_message() << "\n";
      } else {
        const streaming::row row(*r.rows()->begin());
        std::cout << "TLS + password auth: connected, Cassandra "
                  << row.get<std::string_view>(0).value().value_or("?") << "\n";
        rc = 0;
      }
      s.close();
    });
  });
  io.run();
  return rc;
}
