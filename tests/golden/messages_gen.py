"""Writes messages.golden: request frames encoded by the DataStax Python driver.

Each line: name <TAB> protocol_version <TAB> stream_id <TAB> hex of the whole frame.
Case parameters follow a scheme that tests/golden/messages_cases.hpp rebuilds in
C++ from the case name (e.g. query_m13: mask bits pick the query parameters).

Usage: messages_gen.py [OUTPUT]   (default: messages.golden beside this script)
"""
import os
import sys

from cassandra.protocol import (_ProtocolHandler, StartupMessage, OptionsMessage,
                                AuthResponseMessage, RegisterMessage, QueryMessage,
                                ExecuteMessage, PrepareMessage, BatchMessage, _UNSET_VALUE)
from cassandra.query import BatchType

QUERY = "SELECT * FROM ks.t WHERE k = ?"
VALUES = [b"\x00\x00\x00\x01", None, _UNSET_VALUE, b""]
PAGE_SIZE = 5000
PAGING_STATE = b"\x01\x02\x03\xff"
SERIAL = 9          # LOCAL_SERIAL
TIMESTAMP = 1700000000000001
KEYSPACE = "ks"
PREPARED_ID = bytes(range(0xa0, 0xb0))
METADATA_ID = b"\x0a\x0b\x0c"
PAYLOAD = {"a": b"1", "bb": b""}


def cl_for(mask):
    return mask % 11  # every consistency level in turn


def cases():
    for v in (4, 5):
        yield "startup_cql", v, 0, StartupMessage("3.0.0", {})
        yield "startup_lz4", v, 1, StartupMessage("3.0.0", {"COMPRESSION": "lz4"})
        # cqlpp keeps the options in the order the driver writes them (wire order).
        yield "startup_full", v, 2, StartupMessage("3.0.0", {
            "COMPRESSION": "lz4", "CQL_VERSION": "3.0.0", "DRIVER_NAME": "cqlpp",
            "DRIVER_VERSION": "0.1.0", "THROW_ON_OVERLOAD": "1"})
        yield "options", v, 0, OptionsMessage()
        yield "auth_response_plain", v, 3, AuthResponseMessage(b"\x00cassandra\x00cassandra")
        yield "auth_response_empty", v, 3, AuthResponseMessage(b"")
        yield "register_all", v, 4, RegisterMessage(["TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"])
        yield "register_one", v, 4, RegisterMessage(["SCHEMA_CHANGE"])
        # QUERY: bit 0 values, 1 page size, 2 paging state, 3 serial, 4 timestamp, 5 keyspace (v5)
        for mask in range(64 if v == 5 else 32):
            m = QueryMessage(QUERY, cl_for(mask),
                             serial_consistency_level=SERIAL if mask & 8 else None,
                             fetch_size=PAGE_SIZE if mask & 2 else None,
                             paging_state=PAGING_STATE if mask & 4 else None,
                             timestamp=TIMESTAMP if mask & 16 else None,
                             keyspace=KEYSPACE if mask & 32 else None)
            # QueryMessage's constructor has no values argument; the encoder
            # writes them when the attribute is set.
            m.query_params = VALUES if mask & 1 else None
            yield "query_m%d" % mask, v, mask, m
        # EXECUTE: bit 0 values, 1 page size, 2 paging state, 3 serial, 4 timestamp
        for mask in range(32):
            yield "execute_m%d" % mask, v, 100 + mask, ExecuteMessage(
                PREPARED_ID, VALUES if mask & 1 else None, cl_for(mask),
                serial_consistency_level=SERIAL if mask & 8 else None,
                fetch_size=PAGE_SIZE if mask & 2 else None,
                paging_state=PAGING_STATE if mask & 4 else None,
                timestamp=TIMESTAMP if mask & 16 else None,
                result_metadata_id=METADATA_ID if v == 5 else None)
        yield "execute_empty_values", v, 200, ExecuteMessage(
            PREPARED_ID, [], 4, result_metadata_id=METADATA_ID if v == 5 else None)
        yield "prepare_plain", v, 300, PrepareMessage(QUERY)
        if v == 5:
            yield "prepare_ks", v, 301, PrepareMessage(QUERY, keyspace=KEYSPACE)
        # BATCH: type t, bit 0 serial, 1 timestamp, 2 keyspace (v5)
        for t, bt in enumerate((BatchType.LOGGED, BatchType.UNLOGGED, BatchType.COUNTER)):
            for mask in range(8 if v == 5 else 4):
                stmts = [(False, "INSERT INTO ks.t (k, v) VALUES (?, ?)", [b"\x00\x00\x00\x01", None]),
                         (True, PREPARED_ID, [_UNSET_VALUE, b"xyz"]),
                         (False, "UPDATE ks.c SET n = n + 1 WHERE k = 1", [])]
                yield "batch_t%d_m%d" % (t, mask), v, 400 + mask, BatchMessage(
                    bt, stmts, cl_for(mask + t),
                    serial_consistency_level=SERIAL if mask & 1 else None,
                    timestamp=TIMESTAMP if mask & 2 else None,
                    keyspace=KEYSPACE if mask & 4 else None)
        yield "batch_empty", v, 410, BatchMessage(BatchType.UNLOGGED, [], 1)
        # Envelope extras on requests: tracing flag, custom payload, beta flag.
        m = QueryMessage(QUERY, 1)
        m.tracing = True
        yield "extras_tracing", v, 500, m
        m = QueryMessage(QUERY, 1)
        m.custom_payload = PAYLOAD
        yield "extras_payload", v, 501, m
        m = ExecuteMessage(PREPARED_ID, VALUES, 6, result_metadata_id=METADATA_ID if v == 5 else None)
        m.custom_payload = PAYLOAD
        m.tracing = True
        yield "extras_payload_tracing", v, -2, m


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "messages.golden")
    lines = []
    for name, v, stream, msg in cases():
        beta = name == "extras_payload" and v == 5
        frame = _ProtocolHandler.encode_message(msg, stream, v, None, beta)
        lines.append("%s\t%d\t%d\t%s\n" % (name, v, stream, frame.hex()))
    with open(out, "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
