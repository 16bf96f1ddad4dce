// <cqlpp/cqlpp.hpp>: the driver — cqlpp::session (connect, query, prepare,
// execute, batch, stream; callbacks, futures, coroutines or deferred through
// Asio completion tokens), its options, results, errors and metrics, and the
// cluster as the session sees it (pkg-config cqlpp; CMake cqlpp::cqlpp).
// The codec alone is <cqlpp/protocol.hpp>.
#pragma once

#include "cqlpp/session/session.hpp"

#include "cqlpp/session/batch.hpp"
#include "cqlpp/session/cluster_options.hpp"
#include "cqlpp/session/cluster_snapshot.hpp"
#include "cqlpp/session/error.hpp"
#include "cqlpp/session/metrics.hpp"
#include "cqlpp/session/query_result.hpp"
#include "cqlpp/session/request_options.hpp"
#include "cqlpp/session/statement.hpp"
#include "cqlpp/session/trace.hpp"
#include "cqlpp/streaming/error.hpp"
#include "cqlpp/streaming/result_stream.hpp"
#include "cqlpp/streaming/row.hpp"
#include "cqlpp/transport/error.hpp"
#include "cqlpp/transport/options.hpp"
#include "cqlpp/transport/pool_options.hpp"
