//! Observed usage read from strings: `kubectl top pods -A --containers` snapshots and a CSV of
//! samples exported from Prometheus, with every problem located (file:line:column and field).
//!
//! Both formats become the same [`Usage`]: one [`Series`] per (namespace, pod, container), its
//! points in time order. A `kubectl top` snapshot has no time of its own, so its points carry
//! the snapshot's index ([`When::Snapshot`], in the order the files were given); CSV points
//! carry their timestamp ([`When::At`]). The format of each text is told by its header.
//!
//! Units: CPU in nanocores (the metrics API's resolution), memory in bytes, both integers.
//! Nothing is dropped silently: rows that carry no sample (pause containers, empty or `NaN`
//! cells, `kubectl top --sum` totals) are counted and said in a note.

pub mod pods;
mod prometheus;
mod top;

use std::collections::BTreeMap;
use std::fmt;

use crate::diag::{Diagnostic, Location, Warned};
use crate::quantity::{QuantityError, QuantityErrorKind, parse_count, parse_nanocores};

/// One text to read, with the name its diagnostics carry (a file name).
#[derive(Clone, Copy, Debug)]
pub struct UsageSource<'a> {
    /// The file name (or `<stdin>`).
    pub name: &'a str,
    /// The text.
    pub text: &'a str,
}

/// When a sample was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum When {
    /// Milliseconds since the Unix epoch (UTC), from a CSV timestamp.
    At(i64),
    /// The index of a `kubectl top` snapshot (0-based, in the order read).
    Snapshot(u32),
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::At(ms) => f.write_str(&format_timestamp(*ms)),
            When::Snapshot(k) => write!(f, "snapshot {}", k + 1),
        }
    }
}

/// One observation of one container: CPU in nanocores and memory in bytes (either may be
/// missing, as when a CSV cell is empty or `NaN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    /// When.
    pub when: When,
    /// CPU used, in nanocores.
    pub cpu_nanos: Option<u64>,
    /// Memory used (working set), in bytes.
    pub memory: Option<u64>,
}

/// Where something was read: the file and line:column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// The source name.
    pub source: String,
    /// Line and column.
    pub location: Location,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source, self.location)
    }
}

/// The samples of one container of one pod, in time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    /// Namespace.
    pub namespace: String,
    /// Pod name.
    pub pod: String,
    /// Container name.
    pub container: String,
    /// Where its first sample was read.
    pub origin: Origin,
    /// Its points, sorted by [`Point::when`], one per instant.
    pub points: Vec<Point>,
}

/// The two formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `kubectl top pods -A --containers` text (one or more snapshots).
    KubectlTop,
    /// CSV `timestamp,namespace,pod,container,cpu,memory`.
    Csv,
}

impl Format {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::KubectlTop => "kubectl top",
            Format::Csv => "csv",
        }
    }
}

/// What one source held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSummary {
    /// The source name.
    pub name: String,
    /// Its format.
    pub format: Format,
    /// Rows that carried a sample.
    pub rows: u64,
    /// `kubectl top` snapshots in it (0 for CSV).
    pub snapshots: u32,
}

/// Every sample read, by container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// One series per (namespace, pod, container), sorted by that key.
    pub series: Vec<Series>,
    /// What each source held, in the order given.
    pub sources: Vec<SourceSummary>,
    /// The first and last CSV timestamps (milliseconds since the epoch), when there are any.
    pub span_ms: Option<(i64, i64)>,
}

impl Usage {
    /// Points in all series.
    pub fn n_points(&self) -> u64 {
        self.series.iter().map(|s| s.points.len() as u64).sum()
    }

    /// Distinct (namespace, pod) pairs.
    pub fn n_pods(&self) -> usize {
        let mut pods: Vec<(&str, &str)> =
            self.series.iter().map(|s| (s.namespace.as_str(), s.pod.as_str())).collect();
        pods.dedup();
        pods.len()
    }
}

/// The most problems reported for one read; past it, one line says how many more there were.
pub const MAX_ERRORS: usize = 100;

/// Reads every source (each `kubectl top` text or CSV, told apart by its header) into one
/// [`Usage`]. Errors name the file, line:column and the column's name; a sample given twice for
/// the same container and instant is an error naming both places.
///
/// ```
/// use kplan_core::input::usage::{UsageSource, read_usage};
/// let top = "NAMESPACE   POD                        NAME   CPU(cores)   MEMORY(bytes)\nshop        web-7d9f8c6b5d-x2k4p       app    12m          180Mi\n";
/// let usage = read_usage(&[UsageSource { name: "top.txt", text: top }]).output.unwrap();
/// assert_eq!(usage.series[0].points[0].cpu_nanos, Some(12_000_000));
///
/// let bad = "NAMESPACE POD NAME CPU(cores) MEMORY(bytes)\nshop web-0 app 12m 180m\n";
/// let errors = read_usage(&[UsageSource { name: "top.txt", text: bad }]).output.unwrap_err();
/// assert!(errors[0].to_string().starts_with("top.txt:2:20: error: memory 180m is 0.18 bytes"));
/// ```
pub fn read_usage(sources: &[UsageSource<'_>]) -> Warned<Result<Usage, Vec<Diagnostic>>> {
    let mut b = Builder::default();
    for (i, src) in sources.iter().enumerate() {
        b.source = i;
        b.source_name = src.name.to_string();
        match detect(src.text) {
            Some(Format::KubectlTop) => top::read(src, &mut b),
            Some(Format::Csv) => prometheus::read(src, &mut b),
            None => {
                let first = first_content_line(src.text);
                let mut d = Diagnostic::error(
                    "expected `kubectl top pods -A --containers` output (its header NAMESPACE POD NAME CPU(cores) MEMORY(bytes)) or a CSV of samples (header timestamp,namespace,pod,container,cpu,memory)",
                )
                .with_source(src.name);
                if let Some(off) = first {
                    d = d.at_offset(src.text, off);
                }
                if src.text.trim().is_empty() {
                    d.message = format!("{} is empty: {}", src.name, d.message);
                }
                b.error(d);
            }
        }
    }
    b.finish()
}

/// The byte offset of the first line that is neither blank nor a `#` comment.
fn first_content_line(text: &str) -> Option<usize> {
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            return Some(off + (line.len() - line.trim_start().len()));
        }
        off += line.len();
    }
    None
}

/// Tells the format by the first content line.
fn detect(text: &str) -> Option<Format> {
    let off = first_content_line(text)?;
    let line = text[off..].lines().next().unwrap_or("");
    let first = line.split_whitespace().next().unwrap_or("");
    if (first == "NAMESPACE" || first == "POD" || first == "NAME") && line.contains("CPU(cores)") {
        Some(Format::KubectlTop)
    } else if line.contains(',') && line.to_ascii_lowercase().contains("timestamp")
        || line.to_ascii_lowercase().starts_with("time,")
    {
        Some(Format::Csv)
    } else if line.trim() == "No resources found" || line.starts_with("No resources found") {
        // `kubectl top` with no pods: said as an error by the top reader.
        Some(Format::KubectlTop)
    } else {
        None
    }
}

/// A sample as read, before series are merged: its source, line and column.
#[derive(Clone, Copy)]
struct Raw {
    point: Point,
    source: u32,
    line: u32,
}

struct SeriesBuilder {
    origin: Origin,
    points: Vec<Raw>,
}

/// Collects samples and problems from every source.
#[derive(Default)]
pub(crate) struct Builder {
    series: BTreeMap<(String, String, String), SeriesBuilder>,
    /// The key of the series last added to (rows usually come grouped by series).
    last: Option<(String, String, String)>,
    errors: Vec<Diagnostic>,
    n_errors: usize,
    warnings: Vec<Diagnostic>,
    sources: Vec<SourceSummary>,
    names: Vec<String>,
    /// The source being read (index) and its name.
    source: usize,
    source_name: String,
    /// `kubectl top` snapshots read so far, across sources.
    snapshots: u32,
}

impl Builder {
    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.n_errors += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(d);
        }
    }

    pub(crate) fn warn(&mut self, d: Diagnostic) {
        self.warnings.push(d);
    }

    pub(crate) fn n_errors(&self) -> usize {
        self.n_errors
    }

    /// A new snapshot begins; returns its index.
    pub(crate) fn next_snapshot(&mut self) -> u32 {
        self.snapshots += 1;
        self.snapshots - 1
    }

    pub(crate) fn summary(&mut self, format: Format, rows: u64, snapshots: u32) {
        self.sources.push(SourceSummary {
            name: self.source_name.clone(),
            format,
            rows,
            snapshots,
        });
    }

    /// Adds one sample of one container, read at `location` of the current source.
    pub(crate) fn add(
        &mut self,
        key: (&str, &str, &str),
        point: Point,
        location: Location,
        line: usize,
    ) {
        while self.names.len() <= self.source {
            self.names.push(String::new());
        }
        self.names[self.source] = self.source_name.clone();
        let raw = Raw { point, source: self.source as u32, line: line as u32 };
        let same_as_last =
            self.last.as_ref().is_some_and(|(a, b, c)| a == key.0 && b == key.1 && c == key.2);
        if !same_as_last {
            self.last = Some((key.0.to_string(), key.1.to_string(), key.2.to_string()));
        }
        let Some(k) = self.last.clone() else { return };
        let origin = Origin { source: self.source_name.clone(), location };
        self.series
            .entry(k)
            .or_insert_with(|| SeriesBuilder { origin, points: Vec::new() })
            .points
            .push(raw);
    }

    fn finish(mut self) -> Warned<Result<Usage, Vec<Diagnostic>>> {
        let mut series = Vec::with_capacity(self.series.len());
        let mut span: Option<(i64, i64)> = None;
        let builders = std::mem::take(&mut self.series);
        for ((namespace, pod, container), sb) in builders {
            let mut raw = sb.points;
            raw.sort_by_key(|r| (r.point.when, r.source, r.line));
            let mut points: Vec<Point> = Vec::with_capacity(raw.len());
            let mut first_of: Vec<(u32, u32)> = Vec::with_capacity(raw.len());
            for r in raw {
                if let When::At(ms) = r.point.when {
                    span = Some(span.map_or((ms, ms), |(a, z)| (a.min(ms), z.max(ms))));
                }
                match points.last_mut() {
                    Some(p) if p.when == r.point.when => {
                        let (src, line) = *first_of.last().unwrap_or(&(0, 0));
                        let twice = (p.cpu_nanos.is_some() && r.point.cpu_nanos.is_some())
                            || (p.memory.is_some() && r.point.memory.is_some());
                        if twice {
                            let first = self.names.get(src as usize).cloned().unwrap_or_default();
                            let name =
                                self.names.get(r.source as usize).cloned().unwrap_or_default();
                            let d = Diagnostic::error(format!(
                                "a second sample for {namespace}/{pod} container {container} at {}; the first is at {first}:{line}",
                                r.point.when
                            ))
                            .with_source(name)
                            .with_location(Location { line: r.line as usize, column: 1 })
                            .with_hint("export one series per container (aggregate with max by (namespace, pod, container)) and give each snapshot once");
                            self.error(d);
                        }
                        p.cpu_nanos = p.cpu_nanos.or(r.point.cpu_nanos);
                        p.memory = p.memory.or(r.point.memory);
                    }
                    _ => {
                        points.push(r.point);
                        first_of.push((r.source, r.line));
                    }
                }
            }
            series.push(Series { namespace, pod, container, origin: sb.origin, points });
        }
        if self.n_errors > self.errors.len() {
            let more = self.n_errors - self.errors.len();
            self.errors.push(Diagnostic::error(format!(
                "… and {more} more problem(s) in the usage files (the first {MAX_ERRORS} are shown)"
            )));
        }
        if !self.errors.is_empty() {
            return Warned { output: Err(self.errors), warnings: self.warnings };
        }
        let usage = Usage { series, sources: self.sources, span_ms: span };
        Warned { output: Ok(usage), warnings: self.warnings }
    }
}

/// A diagnostic at a byte offset of a source text.
pub(crate) fn located(
    message: impl Into<String>,
    src: &UsageSource<'_>,
    offset: usize,
) -> Diagnostic {
    Diagnostic::error(message).with_source(src.name).at_offset(src.text, offset)
}

/// How a CPU cell without a suffix is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CpuUnit {
    /// Cores (`0.25`), as `rate(container_cpu_usage_seconds_total[5m])` gives them.
    Cores,
    /// Millicores (`250`).
    Millicores,
}

/// The most CPU one container can plausibly use, in cores: above any machine sold.
const MAX_PLAUSIBLE_CORES: u64 = 1024;

/// Reads a CPU cell into nanocores: a plain number in `unit`, or a quantity with `n`, `u` or
/// `m` (`12345678n`, `12m`). Memory-like suffixes and implausible core counts are unit errors.
/// Why a usage cell is refused: a unit mistake or a malformed quantity, in the column named.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CellError {
    /// CPU written as memory (`15Mi`).
    #[error(
        "{column} {text} is a memory-like quantity; expected CPU in cores (0.25) or millicores (250m)"
    )]
    MemoryLikeCpu { column: String, text: String },
    /// Negative CPU.
    #[error("{column}: CPU usage cannot be negative, found {text}")]
    NegativeCpu { column: String, text: String },
    /// More cores than any machine has: millicores written as cores.
    #[error(
        "{column} {text} is read as cores: {cores} cores for one container is more than any machine has; millicores are written 250m, or name the column cpu_millicores"
    )]
    ImplausibleCores { column: String, text: String, cores: u64 },
    /// Memory with a milli suffix.
    #[error(
        "memory {text} is {shown} bytes (m means milli); expected bytes or a binary quantity such as {number}Mi"
    )]
    MilliBytes { text: String, shown: String, number: String },
    /// A fraction of a byte.
    #[error(
        "{column} {text} is not a whole number of bytes; memory is in bytes (was it exported in GiB or MiB? write 512Mi, or convert to bytes)"
    )]
    FractionalBytes { column: String, text: String },
    /// Negative memory.
    #[error("{column}: memory usage cannot be negative, found {text}")]
    NegativeMemory { column: String, text: String },
    /// Not a quantity.
    #[error("{column}: {source}")]
    Quantity { column: String, source: QuantityError },
}

pub(crate) fn cpu_value(text: &str, unit: CpuUnit, column: &str) -> Result<u64, CellError> {
    let t = text.trim();
    let suffix: String = t.chars().rev().take_while(|c| c.is_ascii_alphabetic()).collect();
    let suffix: String = suffix.chars().rev().collect();
    if matches!(
        suffix.as_str(),
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "k" | "M" | "G" | "T" | "P" | "E"
    ) {
        return Err(CellError::MemoryLikeCpu { column: column.to_string(), text: t.to_string() });
    }
    let with_unit = if unit == CpuUnit::Millicores && suffix.is_empty() {
        format!("{t}m")
    } else {
        t.to_string()
    };
    let nanos = parse_nanocores(&with_unit).map_err(|e| match e.kind {
        QuantityErrorKind::Negative => {
            CellError::NegativeCpu { column: column.to_string(), text: t.to_string() }
        }
        _ => CellError::Quantity { column: column.to_string(), source: e },
    })?;
    if suffix.is_empty() && unit == CpuUnit::Cores && nanos > MAX_PLAUSIBLE_CORES * 1_000_000_000 {
        return Err(CellError::ImplausibleCores {
            column: column.to_string(),
            text: t.to_string(),
            cores: nanos / 1_000_000_000,
        });
    }
    Ok(nanos)
}

/// Reads a memory cell into bytes: a whole number of bytes or a quantity (`180Mi`). A `m`
/// suffix (milli, not mebi) and a fraction of a byte are unit errors.
pub(crate) fn memory_value(text: &str, column: &str) -> Result<u64, CellError> {
    let t = text.trim();
    if let Some(number) = t.strip_suffix('m')
        && number.chars().last().is_some_and(|c| c.is_ascii_digit())
    {
        let shown = parse_nanocores(number)
            .map(|n| format_decimal(n, 12))
            .unwrap_or_else(|_| format!("{number}/1000"));
        return Err(CellError::MilliBytes {
            text: t.to_string(),
            shown,
            number: number.to_string(),
        });
    }
    let (column, text) = (column.to_string(), t.to_string());
    parse_count(t).map_err(|e| match e.kind {
        QuantityErrorKind::NotWhole => CellError::FractionalBytes { column, text },
        QuantityErrorKind::Negative => CellError::NegativeMemory { column, text },
        _ => CellError::Quantity { column, source: e },
    })
}

/// `value / 10^scale` as a short decimal (`0.18`).
fn format_decimal(value: u64, scale: u32) -> String {
    let unit = 10u64.pow(scale);
    let whole = value / unit;
    let frac = value % unit;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:0width$}", width = scale as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Formats milliseconds since the epoch as RFC 3339 UTC (`2024-05-01T12:05:00Z`).
pub fn format_timestamp(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let base =
        format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, (rem / 60) % 60, rem % 60);
    if millis == 0 { format!("{base}Z") } else { format!("{base}.{millis:03}Z") }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The first line of each error of reading one text (for the readers' tests).
#[cfg(test)]
pub(crate) fn error_lines(name: &str, text: &str) -> Vec<String> {
    read_usage(&[UsageSource { name, text }])
        .output
        .unwrap_err()
        .iter()
        .map(|d| d.to_string().lines().next().unwrap_or_default().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, text: &str) -> Result<Usage, Vec<String>> {
        read_usage(&[UsageSource { name, text }])
            .output
            .map_err(|e| e.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2024, 5, 1), (2026, 12, 31), (1969, 12, 31)]
        {
            let days = days_from_civil(y, m, d);
            assert_eq!(civil_from_days(days), (y, m, d));
        }
        assert_eq!(days_from_civil(2024, 5, 1), 19_844);
        assert_eq!(format_timestamp(1_714_521_600_000), "2024-05-01T00:00:00Z");
        assert_eq!(format_timestamp(1_714_521_600_250), "2024-05-01T00:00:00.250Z");
    }

    #[test]
    fn cpu_and_memory_cells_and_their_unit_errors() {
        assert_eq!(cpu_value("0.25", CpuUnit::Cores, "cpu"), Ok(250_000_000));
        assert_eq!(cpu_value("250", CpuUnit::Millicores, "cpu_millicores"), Ok(250_000_000));
        assert_eq!(cpu_value("12m", CpuUnit::Cores, "cpu"), Ok(12_000_000));
        assert_eq!(cpu_value("1234567n", CpuUnit::Cores, "cpu"), Ok(1_234_567));
        assert_eq!(cpu_value("1.5e-3", CpuUnit::Cores, "cpu"), Ok(1_500_000));
        let e = cpu_value("15Mi", CpuUnit::Cores, "cpu").unwrap_err().to_string();
        assert!(e.starts_with("cpu 15Mi is a memory-like quantity"), "{e}");
        let e = cpu_value("1500", CpuUnit::Cores, "cpu").unwrap_err().to_string();
        assert!(e.contains("1500 cores for one container"), "{e}");
        assert_eq!(cpu_value("1500m", CpuUnit::Cores, "cpu"), Ok(1_500_000_000));
        let e = cpu_value("-1", CpuUnit::Cores, "cpu").unwrap_err().to_string();
        assert!(e.contains("cannot be negative"), "{e}");
        assert_eq!(memory_value("180Mi", "memory"), Ok(180 << 20));
        assert_eq!(memory_value("1.5e9", "memory"), Ok(1_500_000_000));
        let e = memory_value("180m", "memory").unwrap_err().to_string();
        assert_eq!(
            e,
            "memory 180m is 0.18 bytes (m means milli); expected bytes or a binary quantity such as 180Mi"
        );
        let e = memory_value("0.5", "memory").unwrap_err().to_string();
        assert!(e.starts_with("memory 0.5 is not a whole number of bytes"), "{e}");
        let e = memory_value("12MB", "memory").unwrap_err().to_string();
        assert!(e.contains("unknown suffix \"MB\""), "{e}");
    }

    #[test]
    fn an_unknown_format_is_located_at_its_first_line() {
        let e = read("u.txt", "# exported\n\npod,cpu\nweb,1\n").unwrap_err();
        assert!(
            e[0].starts_with(
                "u.txt:3:1: error: expected `kubectl top pods -A --containers` output"
            ),
            "{e:?}"
        );
        let e = read("empty.txt", "").unwrap_err();
        assert!(e[0].starts_with("empty.txt: error: empty.txt is empty"), "{e:?}");
    }

    #[test]
    fn top_and_csv_merge_into_sorted_series() {
        let top = "NAMESPACE POD NAME CPU(cores) MEMORY(bytes)\nshop web-0 app 10m 100Mi\n";
        let csv =
            "timestamp,namespace,pod,container,cpu,memory\n1714521600,shop,web-0,app,0.02,1000\n";
        let read = read_usage(&[
            UsageSource { name: "top.txt", text: top },
            UsageSource { name: "u.csv", text: csv },
        ]);
        let usage = read.output.unwrap();
        assert_eq!(usage.series.len(), 1);
        let s = &usage.series[0];
        assert_eq!(s.points.len(), 2);
        assert_eq!(s.points[0].when, When::At(1_714_521_600_000));
        assert_eq!(s.points[1].when, When::Snapshot(0));
        assert_eq!(usage.span_ms, Some((1_714_521_600_000, 1_714_521_600_000)));
        assert_eq!(usage.sources.len(), 2);
        assert_eq!(s.origin.to_string(), "top.txt:2:1");
    }

    #[test]
    fn a_sample_given_twice_names_both_places() {
        let top = "NAMESPACE POD NAME CPU(cores) MEMORY(bytes)\nshop web-0 app 10m 100Mi\n";
        let two = read_usage(&[
            UsageSource { name: "a.txt", text: top },
            UsageSource { name: "b.txt", text: top },
        ]);
        // Two files are two snapshots: no duplicate.
        assert_eq!(two.output.unwrap().series[0].points.len(), 2);
        let csv = "timestamp,namespace,pod,container,cpu,memory\n1714521600,shop,web-0,app,0.02,1000\n1714521600,shop,web-0,app,0.03,\n";
        let e = read("u.csv", csv).unwrap_err();
        assert_eq!(
            e[0].lines().next().unwrap(),
            "u.csv:3:1: error: a second sample for shop/web-0 container app at 2024-05-01T00:00:00Z; the first is at u.csv:2"
        );
        // CPU and memory in separate rows of the same instant are one sample.
        let csv = "timestamp,namespace,pod,container,cpu,memory\n1714521600,shop,web-0,app,0.02,\n1714521600,shop,web-0,app,,1000\n";
        let u = read("u.csv", csv).unwrap();
        assert_eq!(
            u.series[0].points,
            vec![Point {
                when: When::At(1_714_521_600_000),
                cpu_nanos: Some(20_000_000),
                memory: Some(1000)
            }]
        );
    }

    proptest::proptest! {
        /// Reading never panics, and every error names its source.
        #[test]
        fn reading_never_panics(
            header in proptest::sample::select(vec![
                "timestamp,namespace,pod,container,cpu,memory\n",
                "NAMESPACE POD NAME CPU(cores) MEMORY(bytes)\n",
                "",
            ]),
            body in "[a-z0-9,.:\\- _TZm\"\n]{0,200}",
        ) {
            let text = format!("{header}{body}");
            if let Err(errors) = read_usage(&[UsageSource { name: "p", text: &text }]).output {
                for e in errors {
                    proptest::prop_assert!(e.source.is_some() || e.message.starts_with('…'), "{e}");
                }
            }
        }
    }
}
