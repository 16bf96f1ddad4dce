#!/usr/bin/env python3
"""Golden vectors for the CQL value codec, made by the DataStax Python driver.

Usage: types_gen.py OUTPUT           (writes tests/golden/types.golden)
       types_gen.py --check GOLDEN   (regenerates in memory, diffs against GOLDEN)

Every line: name <TAB> protocol_version <TAB> form <TAB> marshal type <TAB> hex <TAB> display
  form    'cell'  = the value's bytes (cqltypes T.serialize)
          'value' = a length-prefixed [value] (protocol.write_value), for null/unset
  display the expected value in cqlpp's to_string(value, type) format, computed
          here from the Python value (see display()), never from the bytes.

The module also exports CASES and display() for types_roundtrip.py.
"""
import datetime
import ipaddress
import io
import math
import struct
import sys
import uuid
from decimal import Decimal

from cassandra import cqltypes, util
from cassandra.cqltypes import lookup_casstype
from cassandra.protocol import write_value
from cassandra.query import UNSET_VALUE

import golden_io  # beside this script

P = 'org.apache.cassandra.db.marshal.'


def udt(ks, name, fields):
    parts = [ks, name.encode().hex()]
    parts += ['%s:%s' % (f.encode().hex(), t) for f, t in fields]
    return P + 'UserType(' + ','.join(parts) + ')'


def vec(elem, n):
    # Cassandra's own spelling (TypeParser.stringifyVectorParameters).
    return '%sVectorType(%s , %d)' % (P, elem, n)


INT, TEXT, ASCII, BLOB = P + 'Int32Type', P + 'UTF8Type', P + 'AsciiType', P + 'BytesType'
FLOAT, DOUBLE, BIGINT, BOOL = P + 'FloatType', P + 'DoubleType', P + 'LongType', P + 'BooleanType'
SMALL, TINY, VARINT, DEC = P + 'ShortType', P + 'ByteType', P + 'IntegerType', P + 'DecimalType'
DATE, TIME, TS, DUR = P + 'SimpleDateType', P + 'TimeType', P + 'TimestampType', P + 'DurationType'
UUID_, TUUID, INET, COUNTER = P + 'UUIDType', P + 'TimeUUIDType', P + 'InetAddressType', P + 'CounterColumnType'


def L(t): return P + 'ListType(%s)' % t
def S(t): return P + 'SetType(%s)' % t
def M(k, v): return P + 'MapType(%s,%s)' % (k, v)
def T(*ts): return P + 'TupleType(%s)' % ','.join(ts)


ADDR = udt('ks', 'phone', [('street', TEXT), ('zip', INT), ('tags', L(TEXT))])
NaN, INF = float('nan'), float('inf')
BIG = 2 ** 100 + 12345

# (name, marshal type, python value)
CASES = [
    ('boolean_true', BOOL, True), ('boolean_false', BOOL, False),
    ('tinyint_min', TINY, -128), ('tinyint_max', TINY, 127), ('tinyint_zero', TINY, 0), ('tinyint_m1', TINY, -1),
    ('smallint_min', SMALL, -32768), ('smallint_max', SMALL, 32767), ('smallint_m1', SMALL, -1),
    ('int_min', INT, -2 ** 31), ('int_max', INT, 2 ** 31 - 1), ('int_zero', INT, 0), ('int_m1', INT, -1),
    ('bigint_min', BIGINT, -2 ** 63), ('bigint_max', BIGINT, 2 ** 63 - 1), ('bigint_zero', BIGINT, 0),
    ('bigint_m1', BIGINT, -1), ('counter', COUNTER, 42), ('counter_min', COUNTER, -2 ** 63),
    ('float_zero', FLOAT, 0.0), ('float_negzero', FLOAT, -0.0), ('float_nan', FLOAT, NaN),
    ('float_inf', FLOAT, INF), ('float_neginf', FLOAT, -INF), ('float_tenth', FLOAT, 0.1),
    ('float_max', FLOAT, 3.4028234663852886e38), ('float_denorm', FLOAT, 1.401298464324817e-45),
    ('double_zero', DOUBLE, 0.0), ('double_negzero', DOUBLE, -0.0), ('double_nan', DOUBLE, NaN),
    ('double_inf', DOUBLE, INF), ('double_neginf', DOUBLE, -INF), ('double_tenth', DOUBLE, 0.1),
    ('double_max', DOUBLE, 1.7976931348623157e308), ('double_min_denorm', DOUBLE, 5e-324),
    ('varint_zero', VARINT, 0), ('varint_m1', VARINT, -1), ('varint_127', VARINT, 127), ('varint_128', VARINT, 128),
    ('varint_m128', VARINT, -128), ('varint_m129', VARINT, -129), ('varint_int64max', VARINT, 2 ** 63 - 1),
    ('varint_int64min', VARINT, -2 ** 63), ('varint_2p64', VARINT, 2 ** 64), ('varint_huge', VARINT, BIG),
    ('varint_huge_neg', VARINT, -BIG), ('varint_2p200_neg', VARINT, -2 ** 200),
    ('decimal_zero', DEC, Decimal('0')), ('decimal_pi', DEC, Decimal('3.14159')),
    ('decimal_neg_pos_scale', DEC, Decimal('-123.456')), ('decimal_neg_neg_scale', DEC, Decimal('-1.5E+10')),
    ('decimal_pos_neg_scale', DEC, Decimal('7E+3')), ('decimal_small', DEC, Decimal('-0.000001')),
    ('decimal_huge', DEC, Decimal('123456789012345678901234567890.123456789')),
    ('decimal_tiny_scale', DEC, Decimal('1E-50')),
    ('ascii_empty', ASCII, ''), ('ascii_hello', ASCII, 'hello \'quoted\''),
    ('text_empty', TEXT, ''), ('text_unicode', TEXT, 'h\u00e9llo \u4e16\u754c \U0001f600'),
    ('blob_empty', BLOB, b''), ('blob_bytes', BLOB, bytes(range(256))),
    ('uuid', UUID_, uuid.UUID('01234567-89ab-cdef-0123-456789abcdef')),
    ('uuid_zero', UUID_, uuid.UUID(int=0)), ('uuid_max', UUID_, uuid.UUID(int=2 ** 128 - 1)),
    ('timeuuid', TUUID, uuid.UUID('d2177dd0-eaa2-11de-a572-001b779c76e3')),
    ('inet_v4', INET, '192.168.1.200'), ('inet_v4_zero', INET, '0.0.0.0'),
    ('inet_v6', INET, '2001:db8::ff00:42:8329'), ('inet_v6_loop', INET, '::1'),
    ('date_epoch', DATE, util.Date(0)), ('date_2024', DATE, util.Date(datetime.date(2024, 2, 29))),
    ('date_min', DATE, 0), ('date_max', DATE, 2 ** 32 - 1), ('date_before_epoch', DATE, util.Date(-1)),
    ('time_zero', TIME, util.Time(0)), ('time_max', TIME, util.Time(86399999999999)),
    ('time_noon', TIME, util.Time(datetime.time(12, 34, 56, 789012))),
    ('timestamp_epoch', TS, 0), ('timestamp_min', TS, -2 ** 63), ('timestamp_max', TS, 2 ** 63 - 1),
    ('timestamp_neg', TS, -1), ('timestamp_dt', TS, datetime.datetime(2024, 2, 29, 12, 34, 56, 789000)),
    ('duration_zero', DUR, util.Duration(0, 0, 0)), ('duration_pos', DUR, util.Duration(1, 2, 3)),
    ('duration_neg', DUR, util.Duration(-1, -2, -3)),
    # Mixed signs (the driver writes them, Cassandra refuses them) are tested
    # as rejected in value_test.cpp, with these bytes: Duration(14, -30, 1) = 1c3b02.
    ('duration_max', DUR, util.Duration(2 ** 31 - 1, 2 ** 31 - 1, 2 ** 63 - 1)),
    ('duration_min', DUR, util.Duration(-2 ** 31, -2 ** 31, -2 ** 63)),
    ('duration_big_nanos', DUR, util.Duration(0, 0, 2 ** 63 - 1)),
    ('list_int', L(INT), [1, 2, 3]), ('list_empty', L(INT), []), ('list_text', L(TEXT), ['a', '', 'ccc']),
    ('set_int', S(INT), [3, 1, 2]), ('set_text', S(TEXT), ['x', 'y']),
    ('map_text_int', M(TEXT, INT), {'a': 1, 'b': 2}), ('map_empty', M(INT, INT), {}),
    ('nested_list_map_set', L(M(TEXT, S(INT))), [{'k': [1, 2]}, {}, {'z': [], 'q': [7]}]),
    ('nested_deep', L(L(L(L(L(L(INT)))))), [[[[[[1, 2], []]]]], []]),
    ('list_10000', L(INT), list(range(-5000, 5000))),
    ('map_uuid_list', M(UUID_, L(DOUBLE)), {uuid.UUID(int=7): [1.5, -0.0, NaN]}),
    ('tuple_basic', T(INT, TEXT, BOOL), (1, 'two', True)),
    ('tuple_nulls', T(INT, TEXT, BOOL), (None, 'x', None)),
    ('tuple_all_null', T(INT, TEXT), (None, None)),
    ('tuple_short', T(INT, TEXT, BOOL), (5,)),
    ('tuple_nested', T(L(INT), T(TEXT, DOUBLE)), ([1, 2], ('in', 2.5))),
    ('udt_full', ADDR, ('Main St', 12345, ['a', 'b'])),
    ('udt_null_field', ADDR, ('Elm', None, None)),
    ('list_udt', L(ADDR), [('a', 1, []), ('b', 2, ['x'])]),
    ('vector_float3', vec(FLOAT, 3), [1.0, -2.5, 3.25]),
    ('vector_float1000', vec(FLOAT, 1000), [i / 8.0 for i in range(1000)]),
    ('vector_double2', vec(DOUBLE, 2), [NaN, -INF]),
    ('vector_bigint1', vec(BIGINT, 1), [-2 ** 63]),
    ('vector_uuid2', vec(UUID_, 2), [uuid.UUID(int=1), uuid.UUID(int=2 ** 128 - 1)]),
    ('vector_bool3', vec(BOOL, 3), [True, False, True]),
    ('vector_text3', vec(TEXT, 3), ['a', '', 'h\u00e9llo']),
    ('vector_varint2', vec(VARINT, 2), [BIG, -1]),
    ('vector_smallint3', vec(SMALL, 3), [1, -1, 32767]),
    ('vector_time2', vec(TIME, 2), [util.Time(1), util.Time(86399999999999)]),
    ('vector_vector_float', vec(vec(FLOAT, 2), 2), [[1.0, 2.0], [3.0, 4.0]]),
    ('vector_list_int', vec(P + 'FrozenType(%s)' % L(INT), 2), [[1, 2], []]),
    ('vector_text_long', vec(TEXT, 2), ['x' * 200, 'y' * 20000]),
    ('list_vector', L(vec(FLOAT, 2)), [[1.0, 2.0], [0.5, 0.25]]),
    ('reversed_int', P + 'ReversedType(%s)' % INT, 7),
    ('frozen_list', P + 'FrozenType(%s)' % L(TEXT), ['f']),
    ('custom_opaque', 'com.example.PointType', b'\x01\x02\x03'),
    ('custom_empty', 'com.example.PointType', b''),
    ('list_custom', L('com.example.PointType'), [b'\xff', b'\x00']),
]

# Cases that need more than T.serialize: (name, marshal type, form, python value, bytes maker).
BIG_CASES = {'list_10000', 'vector_float1000', 'vector_text_long'}


def f32(x):
    return struct.unpack('>f', struct.pack('>f', x))[0]


def fmt_float(x, digits):
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return '%.*g' % (digits, x)


def quoted(s):
    return "'" + s.replace("'", "''") + "'"


def civil(days):
    """(year, month, day) of a day count since 1970-01-01, proleptic Gregorian, any year."""
    z = days + 719468
    era = z // 146097  # floor division (the C++ spells it out)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return y, m, d


def date_text(days):
    """As Cassandra prints a date (Java's ISO form): years past 9999 with '+', before 0 with '-'."""
    if -719528 <= days <= 2932896:  # 0000-01-01 .. 9999-12-31: cross-check with datetime where it can
        y, m, d = civil(days)
        if y >= 1:
            ref = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
            assert (ref.year, ref.month, ref.day) == (y, m, d)
    y, m, d = civil(days)
    sign = '+' if y > 9999 else '-' if y < 0 else ''
    return '%s%04d-%02d-%02d' % (sign, abs(y), m, d)


def decimal_text(unscaled, scale):
    digits = str(abs(unscaled))
    if scale == 0:
        out = digits
    elif 0 < scale <= 40:
        digits = digits.rjust(scale + 1, '0')
        out = digits[:-scale] + '.' + digits[-scale:]
    else:
        out = digits + 'E' + ('+' if scale < 0 else '') + str(-scale)
    return ('-' if unscaled < 0 else '') + out


def inet_text(s):
    packed = cqltypes.InetAddressType.serialize(s, 4) if isinstance(s, str) else s
    if len(packed) == 4:
        return '.'.join(str(b) for b in packed)
    return ipaddress.IPv6Address(bytes(packed)).compressed  # RFC 5952, as cqlpp prints it


def unwrap(t):
    while t.cassname in ('ReversedType', 'FrozenType'):
        t = t.subtypes[0]
    return t


def display(t, v):
    """cqlpp's to_string(value, type) for a Python value of cqltypes class t."""
    t = unwrap(t)
    n = 'VectorType' if issubclass(t, cqltypes.VectorType) else t.cassname
    if v is None:
        return 'null'
    if n == 'BooleanType':
        return 'true' if v else 'false'
    if n in ('ByteType', 'ShortType', 'Int32Type', 'LongType', 'CounterColumnType', 'IntegerType'):
        return str(int(v))
    if n == 'FloatType':
        return fmt_float(f32(v), 9)
    if n == 'DoubleType':
        return fmt_float(v, 17)
    if n in ('UTF8Type', 'AsciiType', 'VarcharType'):
        return quoted(v)
    if n == 'BytesType' or issubclass(t, cqltypes._UnrecognizedType):
        return '0x' + bytes(v).hex()
    if n in ('UUIDType', 'TimeUUIDType'):
        return str(v)
    if n == 'InetAddressType':
        return inet_text(v)
    if n == 'DecimalType':
        sign, digits, exp = v.as_tuple()
        unscaled = int(''.join(map(str, digits))) * (-1 if sign else 1)
        return decimal_text(unscaled, -exp)
    if n == 'DurationType':
        return '%dmo%dd%dns' % (v.months, v.days, v.nanoseconds)
    if n == 'SimpleDateType':
        days = v - 2 ** 31 if isinstance(v, int) else v.days_from_epoch
        return date_text(days)
    if n == 'TimeType':
        ns = util.Time(v).nanosecond_time if not isinstance(v, util.Time) else v.nanosecond_time
        s = ns // 10 ** 9
        return '%02d:%02d:%02d.%09d' % (s // 3600, s // 60 % 60, s % 60, ns % 10 ** 9)
    if n in ('TimestampType', 'DateType'):
        if isinstance(v, datetime.datetime):
            ms = int(cqltypes.int64_unpack(cqltypes.DateType.serialize(v, 4)))
        else:
            ms = int(v)
        days, rem = divmod(ms, 86400000)
        d = date_text(days)
        return '%sT%02d:%02d:%02d.%03dZ' % (d, rem // 3600000, rem // 60000 % 60, rem // 1000 % 60, rem % 1000)
    if n in ('ListType', 'VectorType'):
        st = t.subtype if n == 'VectorType' else t.subtypes[0]
        return '[' + ', '.join(display(st, x) for x in v) + ']'
    if n == 'SetType':
        return '{' + ', '.join(display(t.subtypes[0], x) for x in v) + '}'
    if n == 'MapType':
        return '{' + ', '.join(display(t.subtypes[0], k) + ': ' + display(t.subtypes[1], x) for k, x in v.items()) + '}'
    if n == 'UserType':
        return '{' + ', '.join(f + ': ' + display(st, x) for f, st, x in zip(t.fieldnames, t.subtypes, v)) + '}'
    if n == 'TupleType':
        return '(' + ', '.join(display(st, x) for st, x in zip(t.subtypes, v)) + ')'
    raise ValueError('no display for %s' % n)


def lines():
    out = []
    for name, tname, val in CASES:
        t = lookup_casstype(tname)
        for pv in ((4,) if name in BIG_CASES else (4, 5)):
            b = t.serialize(val, pv)
            disp = display(t, val)
            assert '\t' not in disp and '\n' not in disp
            out.append('\t'.join([name, str(pv), 'cell', tname, b.hex(), disp]))
    # Bound [value]s: null and unset exist only with the length prefix.
    for pv in (4, 5):
        for name, v, disp in (('value_null', None, 'null'), ('value_unset', UNSET_VALUE, 'unset'),
                              ('value_int', cqltypes.Int32Type.serialize(9, pv), '9')):
            buf = io.BytesIO()
            write_value(buf, v)
            out.append('\t'.join([name, str(pv), 'value', INT, buf.getvalue().hex(), disp]))
    # The driver writes None inside a list or map as an EMPTY element (length
    # 0), not as null (-1). cqlpp reads an empty int as an empty value (not
    # null) and writes it back as 0 bytes, so these round-trip byte for byte;
    # the driver's None is cqlpp's `empty` here.
    for name, tname, val in (('list_null_elem', L(INT), [1, None, 3]), ('map_null_value', M(INT, INT), {1: None})):
        t = lookup_casstype(tname)
        out.append('\t'.join([name, '4', 'cell', tname, t.serialize(val, 4).hex(),
                              display(t, val).replace('null', 'empty')]))
    # An empty int at the top level: a cell of 0 bytes and a [value] of length 0.
    for pv in (4, 5):
        out.append('\t'.join(['int_empty', str(pv), 'cell', INT, '', 'empty']))
        out.append('\t'.join(['int_empty_value', str(pv), 'value', INT, '00000000', 'empty']))
    # A UDT whose value lacks its trailing fields (written before the type
    # grew): the driver's TupleType writes the present prefix.
    t = lookup_casstype(ADDR)
    b = lookup_casstype(T(TEXT)).serialize(('Oak',), 4)
    out.append('\t'.join(['udt_missing_fields', '4', 'cell', ADDR, b.hex(), "{street: 'Oak'}"]))
    return out


HEADER = '# name\tpv\tform\tmarshal type\thex\tdisplay  (generated by types_gen.py; do not edit)'


if __name__ == '__main__':
    sys.exit(golden_io.main(HEADER, lines))
