#!/usr/bin/env python
"""Has the Python driver decode cqlpp's segments and lz4 bodies.

Runs segments_emit (cqlpp's encodings of the segments.golden inputs) and, per case:
  seg_*:    decodes every segment with the driver's SegmentCodec (header CRC24,
            payload CRC32, lz4), checks the payloads concatenate to the input
            envelopes and that the segment shapes (payload sizes, self-contained
            flags) are the expected packing/splitting; then flips one bit in the
            first header and one in the first payload and checks the driver
            rejects each with the matching CRC error.
  body_lz4: decompresses with the driver's lz4_decompress (v4 body format).
Usage: segments_roundtrip.py EMIT_BINARY GOLDEN_FILE
"""
import io
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import segments_gen as gen  # noqa: E402
from cassandra.connection import lz4_decompress, segment_codec_lz4, \
    segment_codec_no_compression  # noqa: E402
from cassandra.segment import CrcException  # noqa: E402


def decode_all(data, codec):
    segs, pos = [], 0
    buf = io.BytesIO(data)
    while pos < len(data):
        buf.seek(pos)
        h = codec.decode_header(buf)
        s = codec.decode(buf, h)
        segs.append(s)
        pos = buf.tell()
    return segs


def expected_shape(frames):
    shape = []
    for g in gen.groups(frames):
        total = sum(map(len, g))
        if len(g) == 1 and total > gen.MAX:
            for off in range(0, total, gen.MAX):
                shape.append((min(gen.MAX, total - off), False))
        else:
            shape.append((total, True))
    return shape


def crc_error(data, codec, byte_index):
    bad = bytearray(data)
    bad[byte_index] ^= 0x10
    try:
        decode_all(bytes(bad), codec)
    except CrcException as e:
        return str(e)
    return None


def check_seg(kind, specs, data):
    codec = segment_codec_lz4 if kind == "seg_lz4" else segment_codec_no_compression
    frames = [gen.expand(s) for s in specs]
    segs = decode_all(data, codec)
    got = b"".join(s.payload for s in segs)
    if got != b"".join(frames):
        return "payloads differ"
    shape = [(len(s.payload), s.is_self_contained) for s in segs]
    if shape != expected_shape(frames):
        return "segment shape %r, expected %r" % (shape[:4], expected_shape(frames)[:4])
    err = crc_error(data, codec, 0)
    if err is None or "header" not in err:
        return "header bit flip not caught as a header CRC error: %r" % err
    hl = codec.header_length_with_crc
    if len(data) > hl + 4:
        err = crc_error(data, codec, hl)
        if err is None or "payload" not in err:
            return "payload bit flip not caught as a payload CRC error: %r" % err
    return None


def main():
    emit, golden = sys.argv[1], sys.argv[2]
    inputs = {}
    with open(golden) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, _, kind, spec, _ = line.rstrip("\n").split("\t")
            inputs[(name, kind)] = spec.split(",")
    out = subprocess.run([emit, golden], check=True, capture_output=True, text=True).stdout
    n = passed = 0
    for line in out.splitlines():
        name, kind, hexdata = line.split("\t")
        data = bytes.fromhex(hexdata)
        specs = inputs[(name, kind)]
        n += 1
        try:
            if kind == "body_lz4":
                err = None if lz4_decompress(data) == gen.expand(specs[0]) else "body differs"
            else:
                err = check_seg(kind, specs, data)
        except Exception as e:  # a driver exception is a failed case, not a crash
            err = "%s: %s" % (type(e).__name__, e)
        if err:
            print("FAIL %s %s: %s" % (kind, name, err))
        else:
            passed += 1
    if n != len(inputs):
        print("FAIL: emitted %d cases, golden has %d" % (n, len(inputs)))
    failed = n - passed
    print("[doctest] test cases: %d | %d passed | %d failed |" % (n, passed, failed))
    sys.exit(0 if failed == 0 and n == len(inputs) else 1)


if __name__ == "__main__":
    main()
