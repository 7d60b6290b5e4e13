//! `kubectl top pods -A --containers` text: whitespace-aligned columns under the header
//! `NAMESPACE POD NAME CPU(cores) MEMORY(bytes)`, one line per container.
//!
//! kubectl prints CPU as whole millicores (`12m`) and memory as whole MiB rounded down
//! (`180Mi`), as `k8s.io/kubectl/pkg/metricsutil/metrics_printer.go` does. Every header line
//! starts a new snapshot, so snapshots appended to one file (`kubectl top … >> top.txt` in a
//! loop) read as well as one file per snapshot. The totals `--sum` adds (a line of underscores
//! and the sum line after it) are skipped and counted.

use super::{Builder, CpuUnit, Format, Point, UsageSource, When, cpu_value, located, memory_value};
use crate::diag::{Diagnostic, LineIndex};

const HEADER: &str = "NAMESPACE POD NAME CPU(cores) MEMORY(bytes)";

/// `Some` for the header of `kubectl top pods -A --containers`.
fn snapshot_header(names: &[&str]) -> Option<()> {
    (names == ["NAMESPACE", "POD", "NAME", "CPU(cores)", "MEMORY(bytes)"]).then_some(())
}

/// A whitespace-separated token with its byte offset in the line.
fn tokens(line: &str) -> Vec<(usize, &str)> {
    let mut res = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                res.push((s, &line[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        res.push((s, &line[s..]));
    }
    res
}

pub(super) fn read(src: &UsageSource<'_>, b: &mut Builder) {
    let index = LineIndex::new(src.text);
    let errors_before = b.n_errors();
    let mut snapshot: Option<u32> = None;
    let mut snapshots = 0u32;
    let mut rows = 0u64;
    let mut sums = 0u32;
    let mut after_separator = false;
    // After a header that is refused, its lines are not read (the header's error says why).
    let mut refused = false;
    let mut off = 0usize;
    for (n, raw) in src.text.split_inclusive('\n').enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end_matches(['\n', '\r']);
        let start = off;
        off += raw.len();
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with("No resources found") {
            b.error(
                located("kubectl top found no pods here (\"No resources found\")", src, start)
                    .with_hint(
                        "run kubectl top pods -A --containers against a cluster with running pods",
                    ),
            );
            continue;
        }
        let toks = tokens(line);
        let names: Vec<&str> = toks.iter().map(|(_, s)| *s).collect();
        if names.contains(&"CPU(cores)") {
            if header(&names, src, start, b) {
                snapshot = Some(b.next_snapshot());
                snapshots += 1;
            }
            refused = snapshot_header(&names).is_none();
            after_separator = false;
            continue;
        }
        if refused {
            continue;
        }
        if t.chars().all(|c| c == '_' || c.is_whitespace()) {
            after_separator = true;
            continue;
        }
        if after_separator {
            // The `--sum` line: totals under the CPU and memory columns.
            after_separator = false;
            sums += 1;
            continue;
        }
        let Some(k) = snapshot else {
            b.error(
                located(
                    format!(
                        "a sample line before any header; expected the header `{HEADER}` first"
                    ),
                    src,
                    start,
                )
                .with_hint("keep kubectl's header line (do not use --no-headers)"),
            );
            continue;
        };
        let at = Line { text: line, start, number: line_no };
        if sample(&toks, &at, k, src, &index, b) {
            rows += 1;
        }
    }
    if b.n_errors() == errors_before && rows == 0 {
        b.error(
            Diagnostic::error(
                "no container samples: the kubectl top output has a header but no lines under it",
            )
            .with_source(src.name),
        );
    }
    if sums > 0 {
        b.warn(
            Diagnostic::note(format!(
                "{sums} `--sum` total line(s) skipped (they add up the lines above them)"
            ))
            .with_source(src.name),
        );
    }
    b.summary(Format::KubectlTop, rows, snapshots);
}

/// Checks a header line; true when it starts a snapshot (`kubectl top pods -A --containers`),
/// otherwise the error says which command printed it.
fn header(names: &[&str], src: &UsageSource<'_>, start: usize, b: &mut Builder) -> bool {
    match names {
        ["NAMESPACE", "POD", "NAME", "CPU(cores)", "MEMORY(bytes)"] => return true,
        ["NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"] => b.error(
            located("this is `kubectl top pods` without --containers: it gives pod totals, and right-sizing needs each container", src, start)
                .with_hint("run kubectl top pods -A --containers"),
        ),
        ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"] => b.error(
            located("this `kubectl top pods --containers` output has no NAMESPACE column, so its pods cannot be told apart from other namespaces'", src, start)
                .with_hint("run kubectl top pods -A --containers (all namespaces)"),
        ),
        _ => b.error(located(
            format!("unexpected header; expected `{HEADER}` (kubectl top pods -A --containers)"),
            src,
            start,
        )),
    }
    false
}

/// A line of the text: itself, its byte offset and its number (from 1).
struct Line<'a> {
    text: &'a str,
    start: usize,
    number: usize,
}

/// Reads one sample line of snapshot `k` into the builder; false (with the errors reported)
/// when it is not one.
fn sample(
    toks: &[(usize, &str)],
    line: &Line<'_>,
    k: u32,
    src: &UsageSource<'_>,
    index: &LineIndex<'_>,
    b: &mut Builder,
) -> bool {
    let start = line.start;
    if toks.len() != 5 {
        let at = toks.get(5).map_or(line.text.len(), |(o, _)| *o);
        b.error(located(
            format!("expected 5 columns ({HEADER}), found {}", toks.len()),
            src,
            start + at,
        ));
        return false;
    }
    let cell = |i: usize| toks[i];
    let (cpu_at, cpu_text) = cell(3);
    let (mem_at, mem_text) = cell(4);
    let (cpu, memory) = match (
        cpu_value(cpu_text, CpuUnit::Cores, "CPU(cores)"),
        memory_value(mem_text, "MEMORY(bytes)"),
    ) {
        (Ok(c), Ok(m)) => (c, m),
        (cpu, memory) => {
            if let Err(m) = cpu {
                b.error(located(m.to_string(), src, start + cpu_at).with_path("CPU(cores)"));
            }
            if let Err(m) = memory {
                b.error(located(m.to_string(), src, start + mem_at).with_path("MEMORY(bytes)"));
            }
            return false;
        }
    };
    let point = Point { when: When::Snapshot(k), cpu_nanos: Some(cpu), memory: Some(memory) };
    let location = index.location(start + cell(0).0);
    b.add((cell(0).1, cell(1).1, cell(2).1), point, location, line.number);
    true
}

#[cfg(test)]
mod tests {
    use super::super::{UsageSource, read_usage};

    fn errors(text: &str) -> Vec<String> {
        super::super::error_lines("top.txt", text)
    }

    #[test]
    fn reads_snapshots_appended_in_one_file_and_skips_sums() {
        let text = "NAMESPACE   POD          NAME   CPU(cores)   MEMORY(bytes)\n\
                    shop        web-0        app    12m          180Mi\n\
                    shop        web-0        envoy  3m           40Mi\n\
                    NAMESPACE   POD          NAME   CPU(cores)   MEMORY(bytes)\n\
                    shop        web-0        app    20m          182Mi\n\
                    \x20                                ________     ________\n\
                    \x20                                23m          222Mi\n";
        let read = read_usage(&[UsageSource { name: "top.txt", text }]);
        let usage = read.output.unwrap();
        assert_eq!(usage.series.len(), 2);
        let app = &usage.series[0];
        assert_eq!(app.container, "app");
        assert_eq!(app.points.len(), 2);
        assert_eq!(app.points[1].cpu_nanos, Some(20_000_000));
        assert_eq!(app.points[1].memory, Some(182 << 20));
        assert_eq!(usage.sources[0].snapshots, 2);
        assert_eq!(usage.sources[0].rows, 3);
        assert!(read.warnings[0].message.starts_with("1 `--sum` total line(s) skipped"));
    }

    #[test]
    fn bad_lines_are_located() {
        let e = errors(
            "NAMESPACE POD NAME CPU(cores) MEMORY(bytes)\nshop web-0 app 12m\nshop web-0 app 12Mi 10Mi\nshop web-1 app 1m 1Mi extra\n",
        );
        assert_eq!(
            e[0],
            "top.txt:2:19: error: expected 5 columns (NAMESPACE POD NAME CPU(cores) MEMORY(bytes)), found 4"
        );
        assert_eq!(
            e[1],
            "top.txt:3:16: error: CPU(cores) 12Mi is a memory-like quantity; expected CPU in cores (0.25) or millicores (250m) (at CPU(cores))"
        );
        assert_eq!(
            e[2],
            "top.txt:4:23: error: expected 5 columns (NAMESPACE POD NAME CPU(cores) MEMORY(bytes)), found 6"
        );
    }

    #[test]
    fn headers_without_containers_or_namespaces_are_explained() {
        let e = errors("NAMESPACE NAME CPU(cores) MEMORY(bytes)\nshop web-0 12m 180Mi\n");
        assert!(
            e[0].starts_with("top.txt:1:1: error: this is `kubectl top pods` without --containers"),
            "{e:?}"
        );
        let e = errors("POD NAME CPU(cores) MEMORY(bytes)\nweb-0 app 12m 180Mi\n");
        assert!(e[0].starts_with("top.txt:1:1: error: this `kubectl top pods --containers` output has no NAMESPACE column"), "{e:?}");
        let e = errors("NAMESPACE POD NAME CPU(cores) MEMORY(bytes)\n");
        assert_eq!(
            e[0],
            "top.txt: error: no container samples: the kubectl top output has a header but no lines under it"
        );
        let e = errors("No resources found\n");
        assert!(e[0].starts_with("top.txt:1:1: error: kubectl top found no pods"), "{e:?}");
    }
}
