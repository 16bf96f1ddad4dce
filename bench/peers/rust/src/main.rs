//! cqlpp benchmark peer: ScyllaDB Rust driver (crate `scylla` 1.x, tokio).
//!
//! Contract (see bench/peers/README.md):
//!   scylla_peer --host 127.0.0.1 --workload stream|insert|select1
//!               [--rows N] [--requests N] [--concurrency C] [--page-size P] [--keys K]
//! prints one JSON line on stdout; exits 1 (after printing) when validation failed.

use std::error::Error;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;
use scylla::value::CqlTimestamp;
use uuid::Uuid;

type BoxResult<T> = Result<T, Box<dyn Error + Send + Sync>>;

struct Args {
    host: String,
    workload: String,
    rows: u64,
    requests: u64,
    concurrency: u64,
    page_size: i32,
    keys: u64,
}

fn usage(msg: &str) -> ! {
    eprintln!("scylla_peer: {msg}");
    eprintln!(
        "usage: scylla_peer --host H --workload stream|insert|select1 [--rows N] \
         [--requests N] [--concurrency C] [--page-size P] [--keys K]"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut a = Args {
        host: "127.0.0.1".into(),
        workload: String::new(),
        rows: 200_000,
        requests: 200_000,
        concurrency: 1024,
        page_size: 5000,
        keys: 100_000,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < argv.len() {
        let flag = argv[i].as_str();
        let val = argv.get(i + 1).cloned().unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        let num = || val.parse::<u64>().unwrap_or_else(|_| usage(&format!("bad number for {flag}: {val}")));
        match flag {
            "--host" => a.host = val.clone(),
            "--workload" => a.workload = val.clone(),
            "--rows" => a.rows = num(),
            "--requests" => a.requests = num(),
            "--concurrency" => a.concurrency = num().max(1),
            "--page-size" => a.page_size = num() as i32,
            "--keys" => a.keys = num().max(1),
            _ => usage(&format!("unknown argument {flag}")),
        }
        i += 2;
    }
    if !matches!(a.workload.as_str(), "stream" | "insert" | "select1") {
        usage("--workload must be stream, insert or select1");
    }
    a
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// User + system CPU seconds of this process so far (/proc/self/stat, clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    // fields after the command name start at field 3 (state); utime is 14, stime 15
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    (tick(11) + tick(12)) as f64 / 100.0
}

/// The 64-byte value every peer writes into cqlpp_bench.kv.v: bytes 0..63.
fn kv_value() -> Vec<u8> {
    (0u8..64).collect()
}

struct Outcome {
    ops: u64,
    rows: u64,
    errors: u64,
    secs: f64,
    cpu: f64,
    problem: Option<String>,
    latency_ns: Vec<u64>, // per request, when BENCH_LATENCY=1
}

/// BENCH_LATENCY=1 (bench/peers/README.md): time every request. Off by default
/// so the per-request figures (bench/per_request) carry no clock reads.
fn latency_wanted() -> bool {
    std::env::var("BENCH_LATENCY").map(|v| v == "1").unwrap_or(false)
}

/// `, "p50_ms": …, "p99_ms": …, "p999_ms": …` or "" without samples.
fn percentiles(mut v: Vec<u64>) -> String {
    if v.is_empty() {
        return String::new();
    }
    v.sort_unstable();
    let at = |q: f64| v[((q * v.len() as f64) as usize).min(v.len() - 1)] as f64 / 1e6;
    format!(", \"p50_ms\": {:.3}, \"p99_ms\": {:.3}, \"p999_ms\": {:.3}", at(0.50), at(0.99), at(0.999))
}

type StreamRow = (i32, i32, String, i64, f64, Uuid, CqlTimestamp, Vec<u8>, bool, Vec<i32>);

async fn run_stream(session: &Session, args: &Args) -> BoxResult<Outcome> {
    let mut stmt = session
        .prepare("SELECT pk, ck, a, b, c, d, e, f, g, h FROM cqlpp_bench.rows")
        .await?;
    stmt.set_page_size(args.page_size);
    let (start, cpu0) = (Instant::now(), cpu_seconds());
    let mut stream = session.execute_iter(stmt, &[]).await?.rows_stream::<StreamRow>()?;
    let mut rows = 0u64;
    let mut list_items = 0u64;
    let mut errors = 0u64;
    let mut first_err = None;
    while let Some(r) = stream.next().await {
        match r {
            Ok(row) => {
                rows += 1;
                list_items += row.9.len() as u64;
                // touch every column so nothing is optimised away
                std::hint::black_box(&row);
            }
            Err(e) => {
                errors += 1;
                first_err.get_or_insert_with(|| e.to_string());
                break;
            }
        }
    }
    let (secs, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
    let mut problem = first_err.map(|e| format!("stream error: {e}"));
    if problem.is_none() && rows != args.rows {
        problem = Some(format!("read {rows} rows, expected {}", args.rows));
    }
    if problem.is_none() && list_items != 3 * rows {
        problem = Some(format!("list<int> items {list_items}, expected {}", 3 * rows));
    }
    Ok(Outcome { ops: 1, rows, errors, secs, cpu, problem, latency_ns: Vec::new() })
}

async fn run_requests(session: Arc<Session>, args: &Args, insert: bool) -> BoxResult<Outcome> {
    let stmt = if insert {
        session.prepare("INSERT INTO cqlpp_bench.kv (k, v) VALUES (?, ?)").await?
    } else {
        session.prepare("SELECT k, v FROM cqlpp_bench.kv WHERE k = ?").await?
    };
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let rows = Arc::new(AtomicU64::new(0));
    let value = Arc::new(kv_value());
    let total = args.requests;
    let keys = args.keys;
    let timed = latency_wanted();
    let workers = args.concurrency.min(total.max(1));
    let (start, cpu0) = (Instant::now(), cpu_seconds());
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (session, stmt, next, errors, rows, value) =
            (session.clone(), stmt.clone(), next.clone(), errors.clone(), rows.clone(), value.clone());
        tasks.push(tokio::spawn(async move {
            let mut first_err: Option<String> = None;
            let mut lat: Vec<u64> =
                if timed { Vec::with_capacity((total / workers + 1) as usize) } else { Vec::new() };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let sent = if timed { Some(Instant::now()) } else { None };
                let res: Result<u64, String> = if insert {
                    session
                        .execute_unpaged(&stmt, (i as i64, value.as_slice()))
                        .await
                        .map(|_| 0)
                        .map_err(|e| e.to_string())
                } else {
                    let k = (i % keys) as i64;
                    match session.execute_unpaged(&stmt, (k,)).await {
                        Ok(qr) => match qr.into_rows_result() {
                            Ok(rr) => match rr.rows::<(i64, Vec<u8>)>() {
                                Ok(it) => {
                                    let mut n = 0u64;
                                    let mut bad = None;
                                    for row in it {
                                        match row {
                                            Ok((rk, v)) if rk == k && v.len() == 64 => n += 1,
                                            Ok(_) => bad = Some("wrong row content".to_string()),
                                            Err(e) => bad = Some(e.to_string()),
                                        }
                                    }
                                    match (bad, n) {
                                        (Some(b), _) => Err(b),
                                        (None, 1) => Ok(1),
                                        (None, n) => Err(format!("key {k}: {n} rows, expected 1")),
                                    }
                                }
                                Err(e) => Err(e.to_string()),
                            },
                            Err(e) => Err(e.to_string()),
                        },
                        Err(e) => Err(e.to_string()),
                    }
                };
                if let Some(t) = sent {
                    lat.push(t.elapsed().as_nanos() as u64);
                }
                match res {
                    Ok(n) => {
                        rows.fetch_add(n, Ordering::Relaxed);
                    }
                    Err(e) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        first_err.get_or_insert(e);
                    }
                }
            }
            (first_err, lat)
        }));
    }
    let mut first_err = None;
    let mut latency_ns = Vec::new();
    for t in tasks {
        let (e, lat) = t.await?;
        if let Some(e) = e {
            first_err.get_or_insert(e);
        }
        latency_ns.extend(lat);
    }
    let (secs, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
    let errors = errors.load(Ordering::Relaxed);
    let rows = rows.load(Ordering::Relaxed);
    let problem = if errors > 0 {
        Some(format!("{errors} failed requests, first: {}", first_err.unwrap_or_default()))
    } else if !insert && rows != total {
        Some(format!("read {rows} rows, expected {total}"))
    } else {
        None
    };
    Ok(Outcome { ops: total, rows, errors, secs, cpu, problem, latency_ns })
}

#[tokio::main]
async fn main() -> BoxResult<()> {
    let args = parse_args();
    let session: Arc<Session> = Arc::new(
        SessionBuilder::new()
            .known_node(format!("{}:9042", args.host))
            .compression(None)
            .build()
            .await?,
    );
    // Each workload times itself from after its PREPARE to its last response.
    let mut out = match args.workload.as_str() {
        "stream" => run_stream(&session, &args).await?,
        "insert" => run_requests(session.clone(), &args, true).await?,
        _ => run_requests(session.clone(), &args, false).await?,
    };
    let secs = out.secs;
    let ok = out.problem.is_none();
    let pct = percentiles(std::mem::take(&mut out.latency_ns));
    println!(
        "{{\"driver\": \"scylla-rust\", \"workload\": \"{}\", \"ops\": {}, \"seconds\": {:.4}, \
         \"ops_per_s\": {:.3}, \"rows\": {}, \"rows_per_s\": {:.3}, \"peak_rss_kb\": {}, \
         \"cpu_s\": {:.3}, \"errors\": {}, \"ok\": {}{}}}",
        args.workload,
        out.ops,
        secs,
        out.ops as f64 / secs,
        out.rows,
        out.rows as f64 / secs,
        peak_rss_kb(),
        out.cpu,
        out.errors,
        ok,
        pct
    );
    if let Some(p) = out.problem {
        eprintln!("scylla_peer: VALIDATION FAILED ({}): {p}", args.workload);
        std::process::exit(1);
    }
    Ok(())
}
