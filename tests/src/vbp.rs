//! d-dimensional vector packing instances in VPSolver's `.vbp` text format, as kplan scenarios.
//!
//! The format (VPSolver's `VBP` files): a line with the number of dimensions d; a line with the
//! d bin capacities; a line with the number of item types m; then m lines, each with an item
//! type's d sizes and its multiplicity. Blank lines are skipped.
//!
//! Each dimension becomes a resource of one custom node type (the bin, price 1 per hour):
//! the first is cpu (millicores), the second memory (MiB), the third ephemeral storage (MiB), and
//! every further one an extended resource `vbp.kplan.dev/dim-<k>`. A pod always takes exactly one
//! pod slot, so `pods` cannot carry an item's size; the bin's pod capacity is left unbounded.

use std::fmt::Write as _;

/// A vector packing instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vbp {
    /// The bin's capacity per dimension.
    pub capacity: Vec<u64>,
    /// Item types: sizes per dimension and multiplicity.
    pub items: Vec<(Vec<u64>, u64)>,
}

impl Vbp {
    /// Number of dimensions.
    pub fn d(&self) -> usize {
        self.capacity.len()
    }

    /// Number of items (multiplicities summed).
    pub fn n_items(&self) -> u64 {
        self.items.iter().map(|(_, m)| m).sum()
    }

    /// The lower bound ⌈Σ size / capacity⌉ of the largest dimension.
    pub fn volume_bound(&self) -> u64 {
        (0..self.d())
            .map(|k| {
                let total: u128 =
                    self.items.iter().map(|(w, m)| u128::from(w[k]) * u128::from(*m)).sum();
                total.div_ceil(u128::from(self.capacity[k].max(1))) as u64
            })
            .max()
            .unwrap_or(0)
    }
}

/// The most dimensions read (a line of more is refused rather than allocated).
pub const MAX_DIMENSIONS: usize = 64;

/// Reads a `.vbp` text; errors name `source`, the line and column and what was expected.
pub fn read_vbp(text: &str, source: &str) -> Result<Vbp, String> {
    let mut lines =
        text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().is_empty());
    let end_line = text.lines().count() + usize::from(text.is_empty() || text.ends_with('\n'));
    let mut next_line = |what: &str| {
        lines
            .next()
            .ok_or_else(|| format!("{source}:{end_line}:1: the file ends early; expected {what}"))
    };
    let numbers = |line_no: usize, line: &str, expected: &str| -> Result<Vec<u64>, String> {
        let mut res = Vec::new();
        let mut col = 1;
        for tok in line.split_inclusive(char::is_whitespace) {
            let t = tok.trim();
            if !t.is_empty() {
                let start = col + (tok.len() - tok.trim_start().len());
                let v = t.parse::<u64>().map_err(|_| {
                    format!(
                        "{source}:{line_no}:{start}: expected {expected} (whole numbers), found {t:?}"
                    )
                })?;
                res.push(v);
            }
            col += tok.len();
        }
        Ok(res)
    };
    let (ln, line) = next_line("the number of dimensions d")?;
    let d = match numbers(ln, line, "the number of dimensions d")?.as_slice() {
        [d] if (1..=MAX_DIMENSIONS as u64).contains(d) => *d as usize,
        [d] => {
            return Err(format!(
                "{source}:{ln}:1: the number of dimensions is {d}; expected 1 to {MAX_DIMENSIONS}"
            ));
        }
        v => {
            return Err(format!(
                "{source}:{ln}:1: expected one number, the number of dimensions d, found {}",
                v.len()
            ));
        }
    };
    let (ln, line) = next_line("the d bin capacities")?;
    let capacity = numbers(ln, line, "the bin capacities")?;
    if capacity.len() != d {
        return Err(format!(
            "{source}:{ln}:1: expected {d} bin capacities (d = {d}), found {}",
            capacity.len()
        ));
    }
    if let Some(k) = capacity.iter().position(|c| *c == 0) {
        return Err(format!("{source}:{ln}:1: bin capacity {} is 0; expected above 0", k + 1));
    }
    let (ln, line) = next_line("the number of item types m")?;
    let m = match numbers(ln, line, "the number of item types m")?.as_slice() {
        [m] => *m,
        v => {
            return Err(format!(
                "{source}:{ln}:1: expected one number, the number of item types m, found {}",
                v.len()
            ));
        }
    };
    let mut items = Vec::new();
    for k in 0..m {
        let what = format!("item type {} of {m}: {d} sizes and a multiplicity", k + 1);
        let (ln, line) = next_line(&what)?;
        let v = numbers(ln, line, "sizes and a multiplicity")?;
        if v.len() != d + 1 {
            return Err(format!(
                "{source}:{ln}:1: expected {} numbers ({d} sizes and a multiplicity), found {}",
                d + 1,
                v.len()
            ));
        }
        if let Some(j) = (0..d).find(|&j| v[j] > capacity[j]) {
            return Err(format!(
                "{source}:{ln}:1: size {} in dimension {} exceeds the bin capacity {}; no bin holds this item",
                v[j],
                j + 1,
                capacity[j]
            ));
        }
        items.push((v[..d].to_vec(), v[d]));
    }
    if let Some((ln, _)) = lines.next() {
        return Err(format!("{source}:{ln}:1: expected the end of the file after {m} item types"));
    }
    Ok(Vbp { capacity, items })
}

/// Writes an instance in the `.vbp` format.
pub fn write_vbp(v: &Vbp) -> String {
    let join = |xs: &[u64]| xs.iter().map(u64::to_string).collect::<Vec<_>>().join(" ");
    let mut s = format!("{}\n{}\n{}\n", v.d(), join(&v.capacity), v.items.len());
    for (w, m) in &v.items {
        let _ = writeln!(s, "{} {m}", join(w));
    }
    s
}

/// The resource of dimension `k`: its name in a resource map and how an amount is written.
fn dimension(k: usize, amount: u64) -> (String, String) {
    match k {
        0 => ("cpu".into(), format!("{amount}m")),
        1 => ("memory".into(), format!("{amount}Mi")),
        2 => ("ephemeral-storage".into(), format!("{amount}Mi")),
        _ => (format!("vbp.kplan.dev/dim-{k}"), amount.to_string()),
    }
}

/// The instance as a kplan scenario: one custom node type (the bin, $1/h), one workload per
/// item type, no overhead and no headroom, so that the plan's node count is the number of bins.
pub fn vbp_scenario(name: &str, v: &Vbp) -> String {
    let map = |sizes: &[u64], skip_zero: bool| {
        sizes
            .iter()
            .enumerate()
            .filter(|(_, a)| !skip_zero || **a > 0)
            .map(|(k, a)| {
                let (n, q) = dimension(k, *a);
                format!("{n}: {q}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!(
        "name: {name}\nprovider: custom\nregion: bench\noverhead: none\npolicy: {{headroom: none}}\ncatalog:\n  custom:\n    - name: bin\n      resources: {{{}, pods: 1000000}}\n      price: {{on_demand: 1}}\nworkloads:\n",
        map(&v.capacity, false)
    );
    for (i, (w, m)) in v.items.iter().enumerate() {
        let req = map(w, true);
        let req = if req.is_empty() { "cpu: 0m".to_string() } else { req };
        let _ = writeln!(s, "  - {{name: item-{i}, replicas: {m}, requests: {{{req}}}}}");
    }
    s
}

/// A seeded random instance of `d` dimensions: capacity 1000 in every dimension, `n_types` item
/// types whose sizes are drawn in [1, 400] per dimension (some dimensions of a type are 0), each
/// with a multiplicity in [1, 6].
pub fn vbp_generate(d: usize, seed: u64, n_types: usize) -> Vbp {
    let mut rng = crate::Rng((seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (d as u64)) | 1);
    let capacity = vec![1000u64; d];
    let mut items: Vec<(Vec<u64>, u64)> = Vec::new();
    while items.len() < n_types {
        let w: Vec<u64> = (0..d)
            .map(|_| if rng.next().is_multiple_of(8) { 0 } else { 1 + rng.next() % 400 })
            .collect();
        if w.iter().all(|x| *x == 0) || items.iter().any(|(x, _)| *x == w) {
            continue;
        }
        let m = 1 + rng.next() % 6;
        items.push((w, m));
    }
    Vbp { capacity, items }
}
