#!/usr/bin/env python3
"""Round trip through the driver: the Python driver decodes cqlpp's encodings.

Usage: types_roundtrip.py TYPES_EMIT types.golden

Runs the C++ emitter, decodes every line with cqltypes (lookup_casstype(...)
.deserialize, or the [value] length prefix for form 'value') and compares with
the expected Python value (types_gen.CASES, or CPP_CASES below for values
cqlpp built itself), both normalised through types_gen.display().
Last line: a doctest-style summary; exit status 1 on any failure.
"""
import datetime
import os
import subprocess
import sys
import uuid
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import types_gen  # noqa: E402
from cassandra import cqltypes, util  # noqa: E402
from cassandra.cqltypes import lookup_casstype, int32_unpack  # noqa: E402
from cassandra.query import UNSET_VALUE  # noqa: E402

NaN = float('nan')

CPP_CASES = {
    'cpp_int': 42,
    'cpp_bigint_from_int8': -3,
    'cpp_text': 'h\u00e9llo',
    'cpp_varint_big': -123456789012345678901234567890,
    'cpp_decimal': Decimal('-3.1415'),
    'cpp_decimal_neg_scale': Decimal('12E+3'),
    'cpp_double_nan': NaN,
    'cpp_float': -1.25,
    'cpp_duration': util.Duration(-1, -2, -3),
    'cpp_date': util.Date(1),
    'cpp_time': util.Time(3600000000001),
    'cpp_timestamp': 1700000000123,
    'cpp_inet6': '::1',
    'cpp_uuid': uuid.UUID(bytes=b'\xab' * 16),
    'cpp_blob': b'\x00\xff',
    'cpp_list_map': [{'a': 1}, {}],
    'cpp_set_int': [1, 2, 3],
    'cpp_tuple_null': (None, 'a'),
    'cpp_udt': ('Main', 5),
    'cpp_udt_short': ('Main', None),
    'cpp_vector_float': [0.5, -1.0, 2.0],
    'cpp_vector_text': ['x', 'yz'],
    'cpp_vector_vector': [[1], [-1]],
    'cpp_value_null': None,
    'cpp_value_unset': UNSET_VALUE,
}


def expected_values():
    exp = {name: val for name, _, val in types_gen.CASES}
    exp.update({'list_null_elem': [1, None, 3], 'map_null_value': {1: None},
                'value_null': None, 'value_unset': UNSET_VALUE, 'value_int': 9,
                'udt_missing_fields': ('Oak', None, None)})
    exp.update(CPP_CASES)
    return exp


# The driver cannot read a 0-byte int at the top level (Int32Type.deserialize
# needs 4 bytes), though Cassandra stores and returns such cells and the
# driver itself writes them inside collections (list_null_elem). cqlpp's
# bytes for these are the spec's empty forms, checked by types_golden_test.
DRIVER_CANNOT_READ = {'int_empty', 'int_empty_value'}


def decode(t, form, b, pv):
    if form == 'cell':
        try:
            return t.deserialize(b, pv)
        except OverflowError:
            # The driver's datetime cannot hold every timestamp; read the raw
            # milliseconds as its DateType.serialize takes them.
            if t.cassname not in ('TimestampType', 'DateType'):
                raise
            return cqltypes.int64_unpack(b)
    n = int32_unpack(b[:4])
    if n == -1:
        return None
    if n == -2:
        return UNSET_VALUE
    assert n == len(b) - 4, 'bad [value] length'
    return t.deserialize(b[4:], pv)


def show(t, v):
    if v is UNSET_VALUE:
        return 'unset'
    if t.cassname in ('UserType', 'TupleType') and v is not None:
        v = tuple(v) + (None,) * (len(t.subtypes) - len(v))  # absent fields read as null
    if t.cassname == 'SetType' and v is not None:
        v = sorted(v)  # the driver returns sets sorted
    return types_gen.display(t, v)


def main():
    emit, golden = sys.argv[1], sys.argv[2]
    proc = subprocess.run([emit, golden], capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    exp = expected_values()
    passed = failed = 0
    if proc.returncode != 0:
        failed += 1
        print('emitter failed with status %d' % proc.returncode)
    for line in proc.stdout.splitlines():
        name, pv, form, tname, hexs = line.split('\t')
        if name in DRIVER_CANNOT_READ:
            continue
        try:
            t = lookup_casstype(tname)
            got = show(t, decode(t, form, bytes.fromhex(hexs), int(pv)))
            want = show(t, exp[name])
            ok = got == want
        except Exception as e:  # any driver error is a failure of this case
            ok, got, want = False, repr(e), '?'
        if ok:
            passed += 1
        else:
            failed += 1
            print('FAIL %s (v%s): driver decoded %s, expected %s' % (name, pv, got[:200], want[:200]))
    total = passed + failed
    print('[doctest] test cases: %d | %d passed | %d failed |' % (total, passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
