// cqlpp benchmark peer: gocql (module github.com/apache/cassandra-gocql-driver/v2).
//
// Contract (see bench/peers/README.md):
//
//	gocql_peer --host 127.0.0.1 --workload stream|insert|select1
//	           [--rows N] [--requests N] [--concurrency C] [--page-size P] [--keys K]
//
// prints one JSON line on stdout; exits 1 (after printing) when validation failed.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

type result struct {
	Driver    string  `json:"driver"`
	Workload  string  `json:"workload"`
	Ops       int64   `json:"ops"`
	Seconds   float64 `json:"seconds"`
	OpsPerS   float64 `json:"ops_per_s"`
	Rows      int64   `json:"rows"`
	RowsPerS  float64 `json:"rows_per_s"`
	PeakRSSKB int64   `json:"peak_rss_kb"`
	CPUSecs   float64 `json:"cpu_s"`
	Errors    int64   `json:"errors"`
	OK        bool    `json:"ok"`
}

func peakRSSKB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "VmHWM:") {
			fields := strings.Fields(line)
			if len(fields) >= 2 {
				v, _ := strconv.ParseInt(fields[1], 10, 64)
				return v
			}
		}
	}
	return 0
}

// cpuSeconds is the user + system CPU time of this process so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// kvValue is the 64-byte value every peer writes into cqlpp_bench.kv.v: bytes 0..63.
func kvValue() []byte {
	v := make([]byte, 64)
	for i := range v {
		v[i] = byte(i)
	}
	return v
}

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "gocql_peer: "+format+"\n", a...)
	os.Exit(2)
}

func main() {
	host := flag.String("host", "127.0.0.1", "contact point")
	workload := flag.String("workload", "", "stream | insert | select1")
	rows := flag.Int64("rows", 200000, "stream: expected row count of cqlpp_bench.rows")
	requests := flag.Int64("requests", 200000, "insert/select1: number of requests")
	concurrency := flag.Int64("concurrency", 1024, "insert/select1: requests in flight")
	pageSize := flag.Int("page-size", 5000, "stream: page size")
	keys := flag.Int64("keys", 100000, "select1: keys 0..K-1 preloaded in cqlpp_bench.kv")
	flag.Parse()
	if *workload != "stream" && *workload != "insert" && *workload != "select1" {
		fail("--workload must be stream, insert or select1")
	}
	if *concurrency < 1 {
		*concurrency = 1
	}
	if *keys < 1 {
		*keys = 1
	}

	cluster := gocql.NewCluster(*host)
	cluster.Compressor = nil // no compression in any peer (see README)
	cluster.Timeout = 30 * time.Second
	session, err := cluster.CreateSession()
	if err != nil {
		fail("connect: %v", err)
	}
	defer session.Close()

	var ops, nrows, errors int64
	var secs, cpu0, cpu float64
	problem := ""

	switch *workload {
	case "stream":
		q := session.Query("SELECT pk, ck, a, b, c, d, e, f, g, h FROM cqlpp_bench.rows").PageSize(*pageSize)
		start := time.Now()
		cpu0 = cpuSeconds()
		iter := q.Iter()
		var (
			pk, ck int32
			a      string
			b      int64
			c      float64
			d      gocql.UUID
			e      time.Time
			f      []byte
			g      bool
			h      []int32
		)
		var listItems int64
		for iter.Scan(&pk, &ck, &a, &b, &c, &d, &e, &f, &g, &h) {
			nrows++
			listItems += int64(len(h))
		}
		if err := iter.Close(); err != nil {
			errors++
			problem = fmt.Sprintf("stream error: %v", err)
		}
		secs = time.Since(start).Seconds()
		cpu = cpuSeconds() - cpu0
		ops = 1
		if problem == "" && nrows != *rows {
			problem = fmt.Sprintf("read %d rows, expected %d", nrows, *rows)
		}
		if problem == "" && listItems != 3*nrows {
			problem = fmt.Sprintf("list<int> items %d, expected %d", listItems, 3*nrows)
		}

	case "insert", "select1":
		insert := *workload == "insert"
		stmt := "SELECT k, v FROM cqlpp_bench.kv WHERE k = ?"
		if insert {
			stmt = "INSERT INTO cqlpp_bench.kv (k, v) VALUES (?, ?)"
		}
		value := kvValue()
		// gocql prepares on first use: do that outside the timing (key 0 is in both ranges).
		if insert {
			err = session.Query(stmt, int64(0), value).Exec()
		} else {
			var k int64
			var v []byte
			err = session.Query(stmt, int64(0)).Scan(&k, &v)
		}
		if err != nil {
			fail("warm-up %s: %v", *workload, err)
		}
		total := *requests
		var next, nerr, nread atomic.Int64
		var firstErr atomic.Value
		var wg sync.WaitGroup
		workers := *concurrency
		if workers > total && total > 0 {
			workers = total
		}
		start := time.Now()
		cpu0 = cpuSeconds()
		for w := int64(0); w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var k int64
				var v []byte
				for {
					i := next.Add(1) - 1
					if i >= total {
						return
					}
					var err error
					if insert {
						err = session.Query(stmt, i, value).Exec()
					} else {
						key := i % *keys
						err = session.Query(stmt, key).Scan(&k, &v)
						if err == nil && (k != key || len(v) != 64) {
							err = fmt.Errorf("key %d: wrong row content", key)
						}
						if err == nil {
							nread.Add(1)
						}
					}
					if err != nil {
						nerr.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
				}
			}()
		}
		wg.Wait()
		secs = time.Since(start).Seconds()
		cpu = cpuSeconds() - cpu0
		ops = total
		nrows = nread.Load()
		errors = nerr.Load()
		if errors > 0 {
			problem = fmt.Sprintf("%d failed requests, first: %v", errors, firstErr.Load())
		} else if !insert && nrows != total {
			problem = fmt.Sprintf("read %d rows, expected %d", nrows, total)
		}
	}

	r3 := func(x float64) float64 { return math.Round(x*1000) / 1000 }
	r := result{
		Driver: "gocql", Workload: *workload, Ops: ops, Seconds: math.Round(secs*1e4) / 1e4,
		OpsPerS: r3(float64(ops) / secs), Rows: nrows, RowsPerS: r3(float64(nrows) / secs),
		PeakRSSKB: peakRSSKB(), CPUSecs: r3(cpu), Errors: errors, OK: problem == "",
	}
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
	if problem != "" {
		fmt.Fprintf(os.Stderr, "gocql_peer: VALIDATION FAILED (%s): %s\n", *workload, problem)
		session.Close()
		os.Exit(1)
	}
}
