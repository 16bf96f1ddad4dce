"""Round trip of cqlpp's message encodings through the DataStax Python driver.

Runs messages_emit (argv[1]) which prints cqlpp's frames:
  resp lines: responses cqlpp encoded; the driver's _ProtocolHandler.decode_message
              decodes them and the fields are compared with EXPECTED below;
  req lines:  requests cqlpp encoded; they must equal what the driver's
              encode_message produces for the same case (messages_gen.cases()).
Prints a doctest-style summary as its last line; exits 1 on any failure.
"""
import os
import struct
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import messages_gen  # noqa: E402

from cassandra import WriteType  # noqa: E402
from cassandra.cqltypes import Int32Type, UTF8Type  # noqa: E402
from cassandra.protocol import _ProtocolHandler  # noqa: E402

ID = bytes(range(0xa0, 0xb0))
TWO_ROWS = [(1, "a"), (2, None)]
COLS = [("ks", "t", "k", "int"), ("ks", "t", "v", "varchar")]


def schema(target, change, extra):
    d = {"target_type": target, "change_type": change, "keyspace": "ks"}
    d.update(extra)
    return d


SCHEMA = {
    "keyspace": schema("KEYSPACE", "CREATED", {}),
    "table": schema("TABLE", "UPDATED", {"table": "t"}),
    "type": schema("TYPE", "DROPPED", {"type": "address"}),
    "function": schema("FUNCTION", "CREATED", {"function": ("f", ["int", "text"])}),
    "aggregate": schema("AGGREGATE", "DROPPED", {"aggregate": ("agg", ["bigint"])}),
}


def err(code, message, info=None):
    return {"code": code, "message": message, "info": info}


def expected(name, v):
    """The driver-side view of case `name` at protocol version v."""
    if name == "ready":
        return {"class": "ReadyMessage"}
    if name == "authenticate":
        return {"authenticator": "org.apache.cassandra.auth.PasswordAuthenticator"}
    if name == "supported":
        return {"cql_versions": ["3.4.7"],
                "options": {"COMPRESSION": ["lz4", "snappy"], "PROTOCOL_VERSIONS": ["3/v3", "4/v4", "5/v5"]}}
    if name == "auth_challenge":
        return {"challenge": b"\x01\x02\x03"}
    if name == "auth_success":
        return {"token": "ok"}
    if name == "event_topology_new":
        return {"event_type": "TOPOLOGY_CHANGE", "event_args": {"change_type": "NEW_NODE", "address": ("127.0.0.2", 9042)}}
    if name == "event_topology_removed":
        return {"event_type": "TOPOLOGY_CHANGE", "event_args": {"change_type": "REMOVED_NODE", "address": ("::1", 9043)}}
    if name == "event_status_up":
        return {"event_type": "STATUS_CHANGE", "event_args": {"change_type": "UP", "address": ("10.0.0.1", 9042)}}
    if name == "event_status_down":
        return {"event_type": "STATUS_CHANGE", "event_args": {"change_type": "DOWN", "address": ("10.0.0.1", 9042)}}
    if name.startswith("event_schema_"):
        return {"event_type": "SCHEMA_CHANGE", "event_args": SCHEMA[name[len("event_schema_"):]]}
    if name.startswith("result_schema_"):
        return {"kind": 5, "schema_change_event": SCHEMA[name[len("result_schema_"):]]}
    if name == "result_void":
        return {"kind": 1}
    if name == "result_set_keyspace":
        return {"kind": 3, "new_keyspace": "ks"}
    if name in ("result_rows_plain", "result_rows_global"):
        return {"kind": 2, "columns": COLS, "parsed_rows": TWO_ROWS, "paging_state": None}
    if name == "result_rows_collections":
        return {"kind": 2, "columns": [("ks", "t", "l", "list<int>"), ("ks", "t", "m", "map<varchar, bigint>"),
                                       ("ks", "t", "b", "boolean")],
                "parsed_rows": [([1, 2], None, True)]}
    if name == "result_rows_paged":
        return {"kind": 2, "columns": COLS, "parsed_rows": TWO_ROWS, "paging_state": b"\xca\xfe"}
    if name == "result_rows_no_metadata":
        return {"kind": 2, "parsed_rows": TWO_ROWS, "paging_state": b"\x01", "column_metadata": None}
    if name == "result_rows_empty":
        return {"kind": 2, "columns": COLS, "parsed_rows": []}
    if name == "result_rows_metadata_changed":
        return {"kind": 2, "columns": COLS, "parsed_rows": TWO_ROWS, "result_metadata_id": b"\x0d\x0e"}
    if name == "result_prepared":
        return {"kind": 4, "query_id": ID, "result_metadata_id": b"\x0a\x0b\x0c" if v == 5 else None,
                "pk_indexes": [0], "bind": [("ks", "t", "k", "int")], "columns": COLS}
    if name == "result_prepared_no_result_metadata":
        return {"kind": 4, "query_id": ID, "result_metadata_id": b"\x0a\x0b\x0c" if v == 5 else None,
                "pk_indexes": [1, 0], "bind": [("ks", "t", "a", "varchar"), ("ks", "t", "b", "uuid")],
                "column_metadata": None}
    simple = {"error_server": (0x0000, "boom"), "error_protocol": (0x000A, "bad frame"),
              "error_bad_credentials": (0x0100, "no"), "error_overloaded": (0x1001, "busy"),
              "error_is_bootstrapping": (0x1002, "boot"), "error_truncate": (0x1003, "trunc"),
              "error_cdc_write_failure": (0x1600, "cdc"), "error_syntax": (0x2000, "line 1:0"),
              "error_unauthorized": (0x2100, "denied"), "error_invalid": (0x2200, "invalid"),
              "error_config": (0x2300, "config")}
    if name in simple:
        return err(*simple[name])
    if name == "error_unavailable":
        return err(0x1000, "u", {"consistency": 4, "required_replicas": 3, "alive_replicas": 1})
    if name == "error_write_timeout":
        return err(0x1100, "wt", {"consistency": 6, "received_responses": 1, "required_responses": 2,
                                  "write_type": WriteType.BATCH_LOG})
    if name == "error_write_timeout_cas":  # the driver ignores the trailing <contentions>
        return err(0x1100, "wt", {"consistency": 8, "received_responses": 0, "required_responses": 2,
                                  "write_type": WriteType.CAS})
    if name == "error_read_timeout":
        return err(0x1200, "rt", {"consistency": 1, "received_responses": 0, "required_responses": 1,
                                  "data_retrieved": True})
    fmap = {"10.0.0.2": 1, "::1": 0} if v == 5 else None
    if name == "error_read_failure":
        return err(0x1300, "rf", {"consistency": 5, "received_responses": 1, "required_responses": 3,
                                  "failures": 2, "error_code_map": fmap, "data_retrieved": False})
    if name == "error_write_failure":
        return err(0x1500, "wf", {"consistency": 5, "received_responses": 1, "required_responses": 3,
                                  "failures": 2, "error_code_map": fmap, "write_type": WriteType.COUNTER})
    if name == "error_function_failure":
        return err(0x1400, "ff", {"keyspace": "ks", "function": "f", "arg_types": ["int", "text"]})
    if name == "error_cas_write_unknown":  # no driver class: generic ErrorMessage, info None
        return err(0x1700, "cas")
    if name == "error_already_exists_table":
        return err(0x2400, "exists", {"keyspace": "ks", "table": "t"})
    if name == "error_already_exists_keyspace":
        return err(0x2400, "exists", {"keyspace": "ks", "table": ""})
    if name == "error_unprepared":
        return err(0x2500, "unprepared", ID)
    trace = uuid.UUID(bytes=bytes(range(0x10, 0x20)))
    warnings = ["Aggregation query used without partition key", "second"]
    if name == "extras_tracing":
        return {"kind": 1, "trace_id": trace, "warnings": None, "custom_payload": None}
    if name == "extras_warnings":
        return {"kind": 1, "trace_id": None, "warnings": warnings}
    if name == "extras_all":
        return {"kind": 2, "trace_id": trace, "warnings": warnings, "custom_payload": {"a": b"1", "bb": b""},
                "parsed_rows": TWO_ROWS}
    raise KeyError(name)


def columns(md):
    if md is None:
        return None
    return [(c[0], c[1], c[2], c[3].cql_parameterized_type()) for c in md]


def view(msg, want):
    got = {}
    for key in want:
        if key == "class":
            got[key] = type(msg).__name__
        elif key == "columns":
            got[key] = columns(msg.column_metadata)
        elif key == "bind":
            got[key] = columns(msg.bind_metadata)
        elif key == "parsed_rows":
            got[key] = [tuple(r) for r in msg.parsed_rows]
        elif key in ("event_args", "schema_change_event"):
            args = dict(getattr(msg, key))
            for k in ("function", "aggregate"):
                if k in args:
                    args[k] = (args[k].name, list(args[k].argument_types))
            got[key] = args
        else:
            got[key] = getattr(msg, key, "<missing>")
    return got


def main():
    emit, golden = sys.argv[1], sys.argv[2]
    out = subprocess.run([emit, golden], check=True, capture_output=True, text=True).stdout
    driver_requests = {(n, v): (s, m) for n, v, s, m in messages_gen.cases()}
    passed = failed = 0
    for line in out.splitlines():
        parts = line.split("\t")
        if parts[0] == "resp":
            _, name, v, hexs = parts
            v = int(v)
            frame = bytes.fromhex(hexs)
            version, flags, stream, opcode, length = struct.unpack(">BBhBi", frame[:9])
            ok = version == (0x80 | v) and length == len(frame) - 9
            result_md = None
            if name == "result_rows_no_metadata":
                result_md = [("ks", "t", "k", Int32Type), ("ks", "t", "v", UTF8Type)]
            try:
                msg = _ProtocolHandler.decode_message(v, {}, stream, flags, opcode, frame[9:], None, result_md)
                want = expected(name, v)
                got = view(msg, want)
                ok = ok and got == want
            except Exception as e:  # noqa: BLE001
                got, want, ok = repr(e), "decoded message", False
        else:
            _, name, v, stream, hexs = parts
            v = int(v)
            s, m = driver_requests[(name, v)]
            beta = name == "extras_payload" and v == 5
            want = _ProtocolHandler.encode_message(m, s, v, None, beta).hex()
            got = hexs
            ok = got == want and int(stream) == s
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL %s v%d\n  got:  %r\n  want: %r" % (name, v, got, want))
    print("[doctest] test cases: %d | %d passed | %d failed |" % (passed + failed, passed, failed))
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
