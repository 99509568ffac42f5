//! The analysis toolset at scale, measured on its logic below the tools (`records::query` and
//! `records::compare`), as the tools run it once the record files are in the records cache:
//!
//! * Query of a 1,000,000-record run: the first answer cold (loading the record file into its
//!   database, then the query), then warm (the database kept, median of 20), for a first page
//!   and for a filter-and-sort question over every record.
//! * Compare of two 100,000-record runs, cold (both databases built) and warm.
//! * The peak resident memory of this process across each (`VmHWM`, reset before each).
//!
//! The CSV files are generated once under Cargo's target tmp directory. Run with
//! `cargo bench --bench analysis`.

mod common;

use std::{
    fs::File,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use common::{Row, median, own_peak_kib, print_table, reset_own_peak, show, show_kib};
use sequentum_mcp::records::{
    RecordFormat,
    compare::{Comparison, Kind},
    query::{Dataset, Source, database_file},
};

const QUERY_ROWS: u64 = 1_000_000;
const COMPARE_ROWS: u64 = 100_000;
const WARM_REPEATS: usize = 20;
const COLD_TARGET: Duration = Duration::from_secs(3);
const WARM_TARGET: Duration = Duration::from_millis(50);
const COMPARE_TARGET: Duration = Duration::from_millis(1500);
const PEAK_TARGET_KIB: u64 = 128 * 1024;

const FIRST_PAGE: &str = "SELECT * FROM records LIMIT 50";
const QUESTION: &str =
    "SELECT name, price FROM records WHERE num(price) < 50 ORDER BY num(price) LIMIT 50";

/// A product row: name, a price as a page writes it, city, URL. `shift` changes every 50th
/// price and drops/adds a few rows, as a second run of the same site would.
fn write_csv(path: &Path, rows: u64, shift: u64) -> std::io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(out, "name,price,city,url")?;
    let cities = ["London", "Leeds", "Paris", "Berlin", "Madrid"];
    for id in 1 + shift..=rows + shift {
        let pence = (id * 137) % 250_000 + if shift > 0 && id % 50 == 0 { 100 } else { 0 };
        let pounds = pence / 100;
        let price = if pounds >= 1000 {
            format!("£{},{:03}.{:02}", pounds / 1000, pounds % 1000, pence % 100)
        } else {
            format!("£{pounds}.{:02}", pence % 100)
        };
        let city = cities[(id % 5) as usize];
        writeln!(
            out,
            "Item {id},\"{price}\",{city},https://shop.example.test/p/{id}"
        )?;
    }
    out.flush()
}

fn data_file(name: &str, rows: u64, shift: u64) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("analysis-bench");
    std::fs::create_dir_all(&dir).expect("bench directory");
    let path = dir.join(name);
    if !path.is_file() {
        write_csv(&path, rows, shift).expect("writing the bench CSV");
    }
    path
}

fn source(records: &Path) -> Source<'_> {
    let keep_at = records.with_extension("sqlite");
    let _ = std::fs::remove_file(&keep_at);
    Source {
        records,
        format: RecordFormat::Csv,
        keep_at: Some(keep_at),
        scratch_dir: records.parent().expect("a directory"),
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed(), value)
}

fn main() {
    let mut rows = Vec::new();
    let limit = Duration::from_secs(30);

    let big = data_file("query-1m.csv", QUERY_ROWS, 0);
    let size = std::fs::metadata(&big).map(|m| m.len()).unwrap_or_default();
    rows.push(Row::info(
        "record file (CSV, 1,000,000 records)",
        format!("{:.0} MB", size as f64 / 1e6),
    ));
    reset_own_peak();
    let src = source(&big);
    let (cold, page) = timed(|| {
        let data = Dataset::open(&src).expect("dataset");
        data.query(FIRST_PAGE, 0, 50, 32 * 1024, limit)
            .expect("query")
    });
    assert_eq!(page.rows.len(), 50);
    rows.push(Row::goal(
        "query 1M: first answer cold (load + first page)",
        show(cold),
        "≤ 3 s",
        cold <= COLD_TARGET,
    ));
    let warm = |sql: &str| {
        let samples: Vec<Duration> = (0..WARM_REPEATS)
            .map(|_| {
                timed(|| {
                    let data = Dataset::open(&src).expect("dataset");
                    data.query(sql, 0, 50, 32 * 1024, limit).expect("query")
                })
                .0
            })
            .collect();
        median(&samples)
    };
    let warm_page = warm(FIRST_PAGE);
    rows.push(Row::goal(
        "query 1M: first page warm (median of 20)",
        show(warm_page),
        "≤ 50 ms",
        warm_page <= WARM_TARGET,
    ));
    let warm_question = warm(QUESTION);
    rows.push(Row::info(
        "query 1M: num() filter + sort over every record, warm",
        show(warm_question),
    ));
    let peak = own_peak_kib();
    rows.push(Row::goal(
        "query 1M: peak memory",
        show_kib(peak),
        "≤ 128 MiB",
        peak <= PEAK_TARGET_KIB,
    ));
    let db_size = std::fs::metadata(src.keep_at.as_ref().unwrap())
        .map(|m| m.len())
        .unwrap_or_default();
    rows.push(Row::info(
        "query 1M: kept database size",
        format!("{:.0} MB", db_size as f64 / 1e6),
    ));

    let old = data_file("compare-old.csv", COMPARE_ROWS, 0);
    let new = data_file("compare-new.csv", COMPARE_ROWS, 1000);
    reset_own_peak();
    let (old_src, new_src) = (source(&old), source(&new));
    let (cold, counts) = timed(|| {
        let (new_db, _) = database_file(&new_src).expect("new database");
        let (old_db, _) = database_file(&old_src).expect("old database");
        let c = Comparison::open(&new_db, &old_db, None, None).expect("comparison");
        c.page(Kind::Changed, 0, 25).expect("page");
        c.counts
    });
    rows.push(Row::goal(
        "compare 100k x 2: cold (both loaded, counts, first page)",
        show(cold),
        "≤ 1.5 s",
        cold <= COMPARE_TARGET,
    ));
    rows.push(Row::info(
        "compare 100k x 2: counts",
        format!(
            "{} added, {} removed, {} changed",
            counts.added, counts.removed, counts.changed
        ),
    ));
    let (warm, _) = timed(|| {
        let c = Comparison::open(
            new_src.keep_at.as_ref().unwrap(),
            old_src.keep_at.as_ref().unwrap(),
            Some(&["url".to_string()]),
            None,
        )
        .expect("comparison");
        c.page(Kind::Changed, 0, 25).expect("page")
    });
    rows.push(Row::goal(
        "compare 100k x 2: warm (databases kept)",
        show(warm),
        "≤ 1.5 s",
        warm <= COMPARE_TARGET,
    ));
    let peak = own_peak_kib();
    rows.push(Row::goal(
        "compare 100k x 2: peak memory",
        show_kib(peak),
        "≤ 128 MiB",
        peak <= PEAK_TARGET_KIB,
    ));

    print_table("analysis: query_records and compare_runs", &rows);
}
