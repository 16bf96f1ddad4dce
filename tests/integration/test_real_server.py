"""Proof that scripts/cassandra gives a working Cassandra 5.0 node, through the Python driver."""


def test_release_version_is_5_0(connect):
    _, s = connect(protocol_version=5)
    row = s.execute("SELECT release_version FROM system.local").one()
    assert row.release_version.startswith("5.0"), row.release_version


def test_create_insert_select(connect, keyspace):
    _, s = connect(protocol_version=5)
    s.execute("CREATE TABLE %s.kv (k int, c int, v text, PRIMARY KEY (k, c))" % keyspace)
    ins = s.prepare("INSERT INTO %s.kv (k, c, v) VALUES (?, ?, ?)" % keyspace)
    for k in range(3):
        for c in range(50):
            s.execute(ins, (k, c, "v%d.%d" % (k, c)))
    rows = list(s.execute("SELECT c, v FROM %s.kv WHERE k = 1" % keyspace))
    assert [r.c for r in rows] == list(range(50))
    assert rows[7].v == "v1.7"
    # paging: 150 rows in pages of 20
    from cassandra.query import SimpleStatement
    st = SimpleStatement("SELECT * FROM %s.kv" % keyspace, fetch_size=20)
    assert len(list(s.execute(st))) == 150


def test_protocol_v5_negotiates(connect):
    c, s = connect(protocol_version=5)
    assert c.protocol_version == 5
    assert s.execute("SELECT key FROM system.local").one().key == "local"


def test_protocol_v4_negotiates(connect):
    c, s = connect(protocol_version=4)
    assert c.protocol_version == 4
    assert s.execute("SELECT key FROM system.local").one().key == "local"


def test_lz4_compression_v4_and_v5(connect, keyspace):
    big = "x" * 100_000  # compressible: large enough that compression matters
    for version in (4, 5):
        c, s = connect(protocol_version=version, compression="lz4")
        assert c.protocol_version == version
        conn = c.control_connection._connection
        assert conn.compressor is not None, "lz4 not negotiated on v%d" % version
        if version == 5:  # v5: lz4 applies per segment, after READY
            assert conn._is_checksumming_enabled and conn._segment_codec.compression
        s.execute("CREATE TABLE IF NOT EXISTS %s.blobs (k int PRIMARY KEY, v text)" % keyspace)
        s.execute("INSERT INTO %s.blobs (k, v) VALUES (%%s, %%s)" % keyspace, (version, big))
        assert s.execute("SELECT v FROM %s.blobs WHERE k = %%s" % keyspace, (version,)).one().v == big
