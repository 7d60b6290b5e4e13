//! The CSV of samples exported from Prometheus: `timestamp,namespace,pod,container,cpu,memory`.
//!
//! The usage reader's only user of the `csv` crate. Columns are found by name (any order;
//! extra columns such as `job` are named in a note and not used):
//!
//! - `timestamp` (or `time`): Unix seconds (`1714521600`, `1714521600.5`) or RFC 3339 with a
//!   zone (`2024-05-01T00:05:00Z`, `2024-05-01 00:05:00+02:00`).
//! - `namespace`, `pod`, `container`: as the cAdvisor labels carry them; rows of the pause
//!   container (`container=POD`) are skipped and counted.
//! - `cpu` (or `cpu_cores`): cores as `rate(container_cpu_usage_seconds_total[5m])` gives them,
//!   or a quantity with a suffix (`12m`, `1234567n`); `cpu_millicores`: plain millicores.
//! - `memory` (or `memory_bytes`): bytes, as `container_memory_working_set_bytes`, or a
//!   quantity (`180Mi`).
//!
//! A CPU or memory cell may be empty or `NaN` (the two queries exported as separate rows, or a
//! rate with too few points): that resource has no sample in the row.

use super::{Builder, CpuUnit, Format, Point, UsageSource, When, cpu_value, located, memory_value};
use crate::diag::{Diagnostic, LineIndex};

/// The documented header.
pub(crate) const HEADER: &str = "timestamp,namespace,pod,container,cpu,memory";

/// Where each column is.
struct Columns {
    n: usize,
    timestamp: usize,
    namespace: usize,
    pod: usize,
    container: usize,
    cpu: Option<(usize, CpuUnit, String)>,
    memory: Option<(usize, String)>,
}

/// A samples CSV header without a column the reader needs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the CSV header lacks the column(s) {}; expected the header {HEADER}", missing.join(", "))]
struct MissingColumns {
    /// The columns (or alternatives, `cpu or memory`) not found.
    missing: Vec<String>,
}

fn columns(header: &[String]) -> Result<(Columns, Vec<String>), MissingColumns> {
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let mut missing = Vec::new();
    let mut need = |names: &[&str], label: &str| {
        let found = find(names);
        if found.is_none() {
            missing.push(label.to_string());
        }
        found.unwrap_or(0)
    };
    let timestamp = need(&["timestamp", "time"], "timestamp");
    let namespace = need(&["namespace"], "namespace");
    let pod = need(&["pod"], "pod");
    let container = need(&["container"], "container");
    let cpu =
        find(&["cpu", "cpu_cores"]).map(|i| (i, CpuUnit::Cores, header[i].clone())).or_else(|| {
            find(&["cpu_millicores", "cpu_m"]).map(|i| (i, CpuUnit::Millicores, header[i].clone()))
        });
    let memory = find(&["memory", "memory_bytes"]).map(|i| (i, header[i].clone()));
    if cpu.is_none() && memory.is_none() {
        missing.push("cpu or memory".to_string());
    }
    if !missing.is_empty() {
        return Err(MissingColumns { missing });
    }
    let used: Vec<usize> = [Some(timestamp), Some(namespace), Some(pod), Some(container)]
        .into_iter()
        .chain([cpu.as_ref().map(|c| c.0), memory.as_ref().map(|m| m.0)])
        .flatten()
        .collect();
    let extra: Vec<String> = header
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, h)| h.clone())
        .collect();
    Ok((Columns { n: header.len(), timestamp, namespace, pod, container, cpu, memory }, extra))
}

/// The byte offsets at which the fields of the record starting at `start` begin (the first
/// non-blank character of each), quote-aware.
fn field_offsets(text: &str, start: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut res = vec![start];
    let mut i = start;
    let mut quoted = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if quoted && bytes.get(i + 1) == Some(&b'"') => i += 1,
            b'"' => quoted = !quoted,
            b',' if !quoted => res.push(i + 1),
            b'\n' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    for off in &mut res {
        while *off < bytes.len() && (bytes[*off] == b' ' || bytes[*off] == b'\t') {
            *off += 1;
        }
    }
    res
}

/// Where a record really starts: the reader's position can be that of comment or blank lines
/// before it, which are skipped here.
fn record_start(text: &str, mut at: usize) -> usize {
    while at < text.len() {
        let rest = &text[at..];
        let line_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..line_len].trim();
        if line.is_empty() || line.starts_with('#') {
            at += line_len;
        } else {
            break;
        }
    }
    at
}

/// A cell that carries no sample: empty or `NaN`.
fn no_value(cell: &str) -> bool {
    cell.is_empty() || cell.eq_ignore_ascii_case("nan")
}

pub(super) fn read(src: &UsageSource<'_>, b: &mut Builder) {
    let index = LineIndex::new(src.text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(src.text.as_bytes());
    let mut records = reader.records();
    let errors_before = b.n_errors();
    let Some((names, cols)) = read_header(records.next(), src, b) else { return };
    let (mut rows, mut pause, mut empty) = (0u64, 0u64, 0u64);
    for (i, record) in records.enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                b.error(csv_error(&e, src));
                continue;
            }
        };
        match read_row(src, &index, (&names, &cols), i + 1, &record, b) {
            Row::Sample => rows += 1,
            Row::Pause => pause += 1,
            Row::Empty => empty += 1,
            Row::Bad => {}
        }
    }
    if b.n_errors() == errors_before && rows == 0 {
        b.error(
            Diagnostic::error(
                "no samples: the CSV has a header but no rows with a CPU or memory value",
            )
            .with_source(src.name),
        );
    }
    let mut skipped = Vec::new();
    if pause > 0 {
        skipped.push(format!("{pause} row(s) of the pause container (container=POD)"));
    }
    if empty > 0 {
        skipped.push(format!("{empty} row(s) with neither CPU nor memory (empty or NaN)"));
    }
    if !skipped.is_empty() {
        b.warn(
            Diagnostic::note(format!("skipped {}", skipped.join(" and "))).with_source(src.name),
        );
    }
    b.summary(Format::Csv, rows, 0);
}

/// The header row: the column names (lower-cased) and where each column is; `None` after an
/// error (an unreadable or empty CSV, or columns missing).
fn read_header(
    first: Option<Result<csv::StringRecord, csv::Error>>,
    src: &UsageSource<'_>,
    b: &mut Builder,
) -> Option<(Vec<String>, Columns)> {
    let header = match first {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            b.error(csv_error(&e, src));
            return None;
        }
        None => {
            b.error(Diagnostic::error("the CSV is empty").with_source(src.name));
            return None;
        }
    };
    let header_at = record_start(src.text, header.position().map_or(0, |p| p.byte() as usize));
    let names: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let (cols, extra) = match columns(&names) {
        Ok(c) => c,
        Err(m) => {
            b.error(located(m.to_string(), src, header_at));
            return None;
        }
    };
    if !extra.is_empty() {
        b.warn(
            Diagnostic::note(format!("column(s) {} not used", extra.join(", ")))
                .with_source(src.name)
                .at_offset(src.text, header_at),
        );
    }
    Some((names, cols))
}

/// What one data row gave.
enum Row {
    /// A sample, added to the builder.
    Sample,
    /// The pause container's row (`container=POD`), skipped.
    Pause,
    /// Neither CPU nor memory, skipped.
    Empty,
    /// An error, reported.
    Bad,
}

/// Reads one data row (`row` counts from 1 after the header) into the builder.
fn read_row(
    src: &UsageSource<'_>,
    index: &LineIndex<'_>,
    (names, cols): (&[String], &Columns),
    row: usize,
    record: &csv::StringRecord,
    b: &mut Builder,
) -> Row {
    let start = record_start(src.text, record.position().map_or(0, |p| p.byte() as usize));
    let line = index.location(start).line;
    let offsets = field_offsets(src.text, start);
    let at = |i: usize| offsets.get(i).copied().unwrap_or(start);
    if record.len() != cols.n {
        let end = src.text[start..].find('\n').map_or(src.text.len(), |e| start + e);
        let where_ = if record.len() > cols.n { at(cols.n) } else { end };
        b.error(located(
            format!(
                "row {row}: expected {} fields as in the header ({}), found {}",
                cols.n,
                names.join(","),
                record.len()
            ),
            src,
            where_,
        ));
        return Row::Bad;
    }
    let cell = |i: usize| record.get(i).unwrap_or("");
    let container = cell(cols.container);
    if container == "POD" {
        return Row::Pause;
    }
    let mut bad = false;
    let mut fail = |b: &mut Builder, col: usize, name: &str, message: String| {
        b.error(located(message, src, at(col)).with_path(format!("row {row}.{name}")));
        bad = true;
    };
    let when = match parse_timestamp(cell(cols.timestamp)) {
        Ok(ms) => Some(ms),
        Err(m) => {
            fail(b, cols.timestamp, &names[cols.timestamp], m.to_string());
            None
        }
    };
    for (col, what, hint) in [
        (cols.namespace, "namespace", ""),
        (cols.pod, "pod", ""),
        (
            cols.container,
            "container",
            ": an empty container label is cAdvisor's pod-level total; export with container!=\"\"",
        ),
    ] {
        if cell(col).is_empty() {
            fail(b, col, what, format!("empty {what}{hint}"));
        }
    }
    let cpu = match &cols.cpu {
        Some((col, unit, name)) if !no_value(cell(*col)) => {
            match cpu_value(cell(*col), *unit, name) {
                Ok(v) => Some(v),
                Err(m) => {
                    fail(b, *col, name, m.to_string());
                    None
                }
            }
        }
        _ => None,
    };
    let memory = match &cols.memory {
        Some((col, name)) if !no_value(cell(*col)) => match memory_value(cell(*col), name) {
            Ok(v) => Some(v),
            Err(m) => {
                fail(b, *col, name, m.to_string());
                None
            }
        },
        _ => None,
    };
    let Some(ms) = when else { return Row::Bad };
    if bad {
        return Row::Bad;
    }
    if cpu.is_none() && memory.is_none() {
        return Row::Empty;
    }
    let point = Point { when: When::At(ms), cpu_nanos: cpu, memory };
    let location = index.location(at(0));
    b.add((cell(cols.namespace), cell(cols.pod), container), point, location, line);
    Row::Sample
}

fn csv_error(e: &csv::Error, src: &UsageSource<'_>) -> Diagnostic {
    let d = Diagnostic::error(format!("malformed CSV: {e}")).with_source(src.name);
    match e.position() {
        Some(p) => d.at_offset(src.text, p.byte() as usize),
        None => d,
    }
}

/// Unix seconds past this are milliseconds (or nanoseconds) written as seconds: the year 5138.
const MAX_UNIX_SECONDS: u64 = 100_000_000_000;

/// Why a timestamp is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TimestampError {
    /// An empty cell.
    #[error(
        "empty timestamp; expected Unix seconds (1714521600) or RFC 3339 (2024-05-01T00:05:00Z)"
    )]
    Empty,
    /// Digits and points that are not a number.
    #[error("timestamp {0:?} is not a number of Unix seconds")]
    NotSeconds(String),
    /// Seconds past the year 5000: milliseconds or nanoseconds written as seconds.
    #[error(
        "timestamp {0} is past the year 5000 as Unix seconds; it looks like milliseconds or nanoseconds: expected Unix seconds (1714521600) or RFC 3339"
    )]
    PastYear5000(String),
    /// Neither seconds nor RFC 3339 with a zone.
    #[error(
        "timestamp {0:?} is neither Unix seconds (1714521600) nor RFC 3339 with a zone (2024-05-01T00:05:00Z)"
    )]
    Unreadable(String),
}

/// Reads a timestamp into milliseconds since the epoch: Unix seconds with an optional fraction,
/// or RFC 3339 with `Z` or an offset (a `T` or a space between date and time).
pub(crate) fn parse_timestamp(text: &str) -> Result<i64, TimestampError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(TimestampError::Empty);
    }
    if t.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let secs: u64 = whole
            .parse()
            .ok()
            .filter(|_| !whole.is_empty() && !frac.contains('.'))
            .ok_or_else(|| TimestampError::NotSeconds(t.to_string()))?;
        if secs > MAX_UNIX_SECONDS {
            return Err(TimestampError::PastYear5000(t.to_string()));
        }
        let mut ms_digits: String = frac.chars().take(3).collect();
        while ms_digits.len() < 3 {
            ms_digits.push('0');
        }
        let ms: i64 = ms_digits.parse().unwrap_or(0);
        return Ok(secs as i64 * 1000 + ms);
    }
    rfc3339(t).ok_or_else(|| TimestampError::Unreadable(t.to_string()))
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.fff](Z|±HH:MM)` → milliseconds since the epoch.
fn rfc3339(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let s = t.get(from..from + len)?;
        s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, s) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&mo)
        || d < 1
        || d > days_in_month(y, mo as u32)
        || h > 23
        || mi > 59
        || s > 60
    {
        return None;
    }
    let mut i = 19;
    let mut ms = 0i64;
    if b.get(i) == Some(&b'.') {
        let digits = t[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let frac = &t[i + 1..i + 1 + digits.min(3)];
        ms = format!("{frac:0<3}").parse().ok()?;
        i += 1 + digits;
    }
    let offset_min = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        c @ (b'+' | b'-') if b.len() == i + 6 && b[i + 3] == b':' => {
            let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let m = oh * 60 + om;
            if *c == b'-' { -m } else { m }
        }
        _ => return None,
    };
    let days = super::days_from_civil(y, mo as u32, d as u32);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s.min(59) - offset_min * 60;
    Some(secs * 1000 + ms)
}

fn days_in_month(y: i64, m: u32) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{UsageSource, read_usage};
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        super::super::error_lines("u.csv", text)
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1714521600"), Ok(1_714_521_600_000));
        assert_eq!(parse_timestamp("1714521600.25"), Ok(1_714_521_600_250));
        assert_eq!(parse_timestamp("2024-05-01T00:00:00Z"), Ok(1_714_521_600_000));
        assert_eq!(parse_timestamp("2024-05-01 02:00:00.5+02:00"), Ok(1_714_521_600_500));
        assert_eq!(parse_timestamp("2024-04-30T19:00:00-05:00"), Ok(1_714_521_600_000));
        let e = parse_timestamp("1714521600000").unwrap_err().to_string();
        assert!(e.contains("looks like milliseconds"), "{e}");
        let e = parse_timestamp("2024-05-01T00:00:00").unwrap_err().to_string();
        assert!(e.contains("RFC 3339 with a zone"), "{e}");
        assert!(parse_timestamp("2024-02-30T00:00:00Z").is_err());
        assert!(parse_timestamp("1.2.3").is_err());
    }

    #[test]
    fn reads_columns_by_name_with_units_quotes_and_gaps() {
        let text = "# exported by jq\ncontainer,pod,namespace,timestamp,cpu_millicores,memory_bytes,job\n\"app\",\"web-0\",\"shop\",1714521600,250,1048576,kubelet\napp,web-0,shop,1714521900,NaN,2097152,kubelet\napp,web-0,shop,1714522200,,,kubelet\nPOD,web-0,shop,1714521600,1,1,kubelet\n";
        let read = read_usage(&[UsageSource { name: "u.csv", text }]);
        let usage = read.output.unwrap();
        let s = &usage.series[0];
        assert_eq!(
            (s.namespace.as_str(), s.pod.as_str(), s.container.as_str()),
            ("shop", "web-0", "app")
        );
        assert_eq!(s.points.len(), 2);
        assert_eq!(s.points[0].cpu_nanos, Some(250_000_000));
        assert_eq!(s.points[1].cpu_nanos, None);
        assert_eq!(s.points[1].memory, Some(2 << 20));
        assert_eq!(s.origin.to_string(), "u.csv:3:1");
        let notes: Vec<String> = read.warnings.iter().map(|d| d.to_string()).collect();
        assert_eq!(notes[0], "u.csv:2:1: note: column(s) job not used");
        assert_eq!(
            notes[1],
            "u.csv: note: skipped 1 row(s) of the pause container (container=POD) and 1 row(s) with neither CPU nor memory (empty or NaN)"
        );
    }

    #[test]
    fn bad_rows_are_located_by_line_column_and_field() {
        let text = "timestamp,namespace,pod,container,cpu,memory\n1714521600,shop,web-0,app,0.1,100\n1714521600,shop,web-1,app,0.1\n1714521600,shop,web-2,app,0.1,180m\n17145216000000,shop,web-3,app,0.1,100\n1714521600,shop,,app,0.1,100\n1714521600,shop,web-4,app,15Mi,100\n";
        let e = errors(text);
        assert_eq!(
            e[0],
            "u.csv:3:30: error: row 2: expected 6 fields as in the header (timestamp,namespace,pod,container,cpu,memory), found 5"
        );
        assert_eq!(
            e[1],
            "u.csv:4:31: error: memory 180m is 0.18 bytes (m means milli); expected bytes or a binary quantity such as 180Mi (at row 3.memory)"
        );
        assert!(
            e[2].starts_with("u.csv:5:1: error: timestamp 17145216000000 is past the year 5000"),
            "{}",
            e[2]
        );
        assert_eq!(e[3], "u.csv:6:17: error: empty pod (at row 5.pod)");
        assert_eq!(
            e[4],
            "u.csv:7:27: error: cpu 15Mi is a memory-like quantity; expected CPU in cores (0.25) or millicores (250m) (at row 6.cpu)"
        );
        let e = errors("time,namespace,pod,cpu\n1,a,b,1\n");
        assert_eq!(
            e[0],
            "u.csv:1:1: error: the CSV header lacks the column(s) container; expected the header timestamp,namespace,pod,container,cpu,memory"
        );
    }
}
