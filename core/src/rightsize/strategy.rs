//! Recommendation strategies: the statistic taken of the samples, the margin, rounding, floors
//! and the limits policy, with named defaults.
//!
//! `simple` follows krr's `simple` strategy (robusta-dev/krr @ d6baa745,
//! `robusta_krr/strategies/simple.py`, `robusta_krr/core/runner.py` and
//! `robusta_krr/core/models/config.py`):
//!
//! - CPU request: for each pod, the `cpu_percentile` (default 95) of its samples, as PromQL's
//!   `quantile_over_time` computes it; the recommendation is the largest of those per-pod values.
//! - Memory request: the largest sample over all pods plus `memory_buffer_percentage` (15%).
//! - Limits: none for CPU; memory limit = the memory request.
//! - At least `points_required` (100) samples per resource, summed over pods; fewer gives no
//!   recommendation ("Not enough data").
//! - Rounding: CPU up to the millicore, memory up to the MiB; then floors of 10m and 100Mi
//!   (`cpu_min_value`, `memory_min_value`, applied as `max(rounded, minimal)`).
//! - Workloads with a HorizontalPodAutoscaler get no recommendation unless `allow_hpa`.
//!
//! The percentile is PromQL's (prometheus/prometheus `promql/quantile.go`, `quantile`): sort the
//! n values, take rank `q·(n−1)` and interpolate linearly between the values at the ranks
//! below and above it. Here it is computed exactly in integers (nanocores and bytes), rounding
//! the interpolated value up to the unit.
//!
//! `percentile` takes the chosen percentiles of all the workload's samples pooled (not the
//! largest per-pod value): CPU at `cpu_percentile`, memory at `memory_percentile` plus the margin.

use std::fmt;
use std::str::FromStr;

use crate::diag::UnknownName;
use crate::quantity::{Bytes, Cpu, QuantityError};

/// One part in a million: percentiles and margins are fixed-point, `950_000` is 95%.
pub const PPM: u64 = 1_000_000;

/// A named way of recommending requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// krr's `simple`: CPU at the largest per-pod percentile, memory at the peak plus a margin.
    Simple,
    /// Chosen percentiles of the pooled samples for CPU and memory, memory plus a margin.
    Percentile,
}

impl Strategy {
    /// The strategy's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Simple => "simple",
            Strategy::Percentile => "percentile",
        }
    }
}

impl FromStr for Strategy {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Strategy, UnknownName> {
        match s {
            "simple" => Ok(Strategy::Simple),
            "percentile" => Ok(Strategy::Percentile),
            _ => Err(UnknownName::new("strategy", s, "simple or percentile")),
        }
    }
}

/// How recommended quantities are rounded up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Up to the millicore and the MiB (krr's).
    Exact,
    /// Up to a step that grows with the amount, so requests read as people write them:
    /// CPU 5m up to 100m, 10m up to 500m, 50m up to 2 cores, 100m up to 8, then 250m;
    /// memory 16Mi up to 256Mi, 32Mi up to 1Gi, 64Mi up to 4Gi, 256Mi up to 16Gi, then 1Gi.
    Friendly,
    /// Up to a multiple of fixed steps.
    Step {
        /// CPU step in millicores.
        cpu_millis: u64,
        /// Memory step in bytes.
        memory: u64,
    },
}

impl Rounding {
    /// A CPU amount in millicores rounded up.
    pub fn cpu(self, millis: u64) -> u64 {
        let step = match self {
            Rounding::Exact => 1,
            Rounding::Friendly => match millis {
                0..=100 => 5,
                101..=500 => 10,
                501..=2000 => 50,
                2001..=8000 => 100,
                _ => 250,
            },
            Rounding::Step { cpu_millis, .. } => cpu_millis.max(1),
        };
        millis.div_ceil(step).saturating_mul(step)
    }

    /// A memory amount in bytes rounded up.
    pub fn memory(self, bytes: u64) -> u64 {
        const MI: u64 = 1 << 20;
        let step = match self {
            Rounding::Exact => MI,
            Rounding::Friendly => match bytes {
                b if b <= 256 * MI => 16 * MI,
                b if b <= 1024 * MI => 32 * MI,
                b if b <= 4096 * MI => 64 * MI,
                b if b <= 16384 * MI => 256 * MI,
                _ => 1024 * MI,
            },
            Rounding::Step { memory, .. } => memory.max(1),
        };
        bytes.div_ceil(step).saturating_mul(step)
    }
}

impl fmt::Display for Rounding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rounding::Exact => f.write_str("exact"),
            Rounding::Friendly => f.write_str("friendly"),
            Rounding::Step { cpu_millis, memory } => {
                write!(f, "{},{}", Cpu(*cpu_millis), Bytes(*memory))
            }
        }
    }
}

impl FromStr for Rounding {
    type Err = SettingError;
    fn from_str(s: &str) -> Result<Rounding, SettingError> {
        match s {
            "exact" => Ok(Rounding::Exact),
            "friendly" => Ok(Rounding::Friendly),
            _ => {
                let Some((c, m)) = s.split_once(',') else {
                    return Err(SettingError::Unknown(UnknownName::new(
                        "rounding",
                        s,
                        "exact, friendly or CPU,MEMORY steps such as 50m,64Mi",
                    )));
                };
                let cpu = Cpu::parse(c).map_err(SettingError::Step)?;
                let memory = Bytes::parse(m).map_err(SettingError::Step)?;
                if cpu.0 == 0 || memory.0 == 0 {
                    return Err(SettingError::ZeroStep(s.to_string()));
                }
                Ok(Rounding::Step { cpu_millis: cpu.0, memory: memory.0 })
            }
        }
    }
}

/// What happens to limits when requests change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitsPolicy {
    /// No CPU limit; the memory limit equals the new memory request (krr's).
    RemoveCpu,
    /// Limits as they are (raised to the new request where it passes them).
    Keep,
    /// Each limit keeps its ratio to the request (`limit / request` before), rounded as requests.
    KeepRatio,
}

impl LimitsPolicy {
    /// The policy's name.
    pub fn as_str(self) -> &'static str {
        match self {
            LimitsPolicy::RemoveCpu => "remove-cpu",
            LimitsPolicy::Keep => "keep",
            LimitsPolicy::KeepRatio => "keep-ratio",
        }
    }
}

impl FromStr for LimitsPolicy {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<LimitsPolicy, UnknownName> {
        match s {
            "remove-cpu" => Ok(LimitsPolicy::RemoveCpu),
            "keep" => Ok(LimitsPolicy::Keep),
            "keep-ratio" => Ok(LimitsPolicy::KeepRatio),
            _ => Err(UnknownName::new("limits policy", s, "remove-cpu, keep or keep-ratio")),
        }
    }
}

/// Everything a recommendation depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The strategy.
    pub strategy: Strategy,
    /// The CPU percentile, in parts per million (`950_000` = 95th).
    pub cpu_percentile: u64,
    /// The memory percentile in parts per million (`percentile` only; `simple` takes the maximum).
    pub memory_percentile: u64,
    /// Added to the memory statistic, in parts per million (`150_000` = 15%).
    pub memory_margin: u64,
    /// The smallest CPU request recommended.
    pub min_cpu: Cpu,
    /// The smallest memory request recommended.
    pub min_memory: Bytes,
    /// How quantities are rounded up.
    pub rounding: Rounding,
    /// What happens to limits.
    pub limits: LimitsPolicy,
    /// Fewer samples than this (per resource, over all pods) gives no recommendation.
    pub min_samples: u64,
    /// Right-size workloads with an autoscaler (`scalable:`) too.
    pub allow_hpa: bool,
}

/// The named defaults of a strategy: `simple` is krr's, `percentile` CPU p95 and memory p99
/// plus 15%, rounded friendly, limits keeping their ratio.
pub fn settings(strategy: Strategy) -> Settings {
    let krr = Settings {
        strategy,
        cpu_percentile: 950_000,
        memory_percentile: PPM,
        memory_margin: 150_000,
        min_cpu: Cpu(10),
        min_memory: Bytes::mib(100),
        rounding: Rounding::Exact,
        limits: LimitsPolicy::RemoveCpu,
        min_samples: 100,
        allow_hpa: false,
    };
    match strategy {
        Strategy::Simple => krr,
        Strategy::Percentile => Settings {
            memory_percentile: 990_000,
            rounding: Rounding::Friendly,
            limits: LimitsPolicy::KeepRatio,
            ..krr
        },
    }
}

impl Settings {
    /// One line saying what the settings do.
    pub fn describe(&self) -> String {
        let cpu = match self.strategy {
            Strategy::Simple => {
                format!("CPU at the largest per-pod p{}", ppm_text(self.cpu_percentile, 10_000))
            }
            Strategy::Percentile => {
                format!("CPU at p{} of all samples", ppm_text(self.cpu_percentile, 10_000))
            }
        };
        let memory_stat = match self.strategy {
            Strategy::Simple => "the peak".to_string(),
            Strategy::Percentile => format!("p{}", ppm_text(self.memory_percentile, 10_000)),
        };
        format!(
            "strategy {}: {cpu}, memory at {memory_stat} + {}%; floors {} CPU and {} memory; rounding {}; limits {}; at least {} samples per resource; autoscaled workloads {}",
            self.strategy.as_str(),
            ppm_text(self.memory_margin, 10_000),
            Cpu(self.min_cpu.0),
            self.min_memory,
            self.rounding,
            self.limits.as_str(),
            self.min_samples,
            if self.allow_hpa { "right-sized too" } else { "kept (--allow-hpa right-sizes them)" }
        )
    }
}

/// `value / divisor` as a short decimal (`95`, `99.9`).
pub fn ppm_text(value: u64, divisor: u64) -> String {
    let whole = value / divisor;
    let frac = value % divisor;
    if frac == 0 {
        return whole.to_string();
    }
    let width = divisor.ilog10() as usize;
    format!("{whole}.{}", format!("{frac:0width$}").trim_end_matches('0'))
}

/// Why a right-sizing setting (a rounding, a percentile, a margin) is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingError {
    /// A rounding that is neither a name nor a pair of steps.
    #[error(transparent)]
    Unknown(#[from] UnknownName),
    /// A rounding step that is not a quantity.
    #[error("rounding step: {0}")]
    Step(QuantityError),
    /// A rounding step of zero.
    #[error("rounding steps must be above zero, found {0:?}")]
    ZeroStep(String),
    /// Not a percentile.
    #[error("expected a percentile such as 95 or 99.9, found {0:?}")]
    NotAPercentile(String),
    /// A percentile of 0 or above 100.
    #[error("a percentile is above 0 and at most 100, found {0}")]
    PercentileOutOfRange(String),
    /// Not a margin.
    #[error(
        "expected a margin such as 15% or 0.15 (a fraction at most 1, or up to 1000%), found {0:?}"
    )]
    NotAMargin(String),
    /// A margin above 1000%.
    #[error("a margin is at most 1000%, found {0}")]
    MarginOutOfRange(String),
}

/// Reads a percentile (`95`, `99.9`, `p95`) into parts per million of 1; it must be above 0
/// and at most 100, with at most four decimals.
pub fn parse_percentile(text: &str) -> Result<u64, SettingError> {
    let t = text.trim();
    let digits = t.strip_prefix('p').unwrap_or(t);
    let v = parse_fixed(digits, 4).ok_or_else(|| SettingError::NotAPercentile(t.to_string()))?;
    // Percent with four decimals = parts per million.
    if v == 0 || v > 100 * 10_000 {
        return Err(SettingError::PercentileOutOfRange(t.to_string()));
    }
    Ok(v)
}

/// Reads a margin (`15%`, or a fraction such as `0.15`) into parts per million; a bare number
/// above 1 is refused as ambiguous, and percentages go up to 1000%.
pub fn parse_margin(text: &str) -> Result<u64, SettingError> {
    let t = text.trim();
    let res = match t.strip_suffix('%') {
        Some(p) => parse_fixed(p.trim(), 4),
        None => parse_fixed(t, 6).filter(|v| *v <= PPM),
    };
    let v = res.ok_or_else(|| SettingError::NotAMargin(t.to_string()))?;
    if v > 10 * PPM { Err(SettingError::MarginOutOfRange(t.to_string())) } else { Ok(v) }
}

/// A non-negative decimal with at most `decimals` digits after the point, times 10^decimals.
fn parse_fixed(text: &str, decimals: u32) -> Option<u64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > decimals as usize
        || whole.len() > 12
    {
        return None;
    }
    let w: u64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let f: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = decimals as usize).parse().ok()?
    };
    w.checked_mul(10u64.pow(decimals))?.checked_add(f)
}

/// The `q` quantile (parts per million) of sorted values, as PromQL's `quantile_over_time`:
/// rank `q·(n−1)`, linear interpolation between the neighbouring values, rounded up.
///
/// ```
/// use kplan_core::rightsize::strategy::percentile;
/// // rank 0.95 × 4 = 3.8: 40 + 0.8 × (100 − 40) = 88.
/// assert_eq!(percentile(&[10, 20, 30, 40, 100], 950_000), Some(88));
/// assert_eq!(percentile(&[], 950_000), None);
/// ```
pub fn percentile(sorted: &[u64], q: u64) -> Option<u64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let q = u128::from(q.min(PPM));
    let rank = q * (n as u128 - 1);
    let lo = (rank / u128::from(PPM)) as usize;
    let frac = rank % u128::from(PPM);
    let hi = (lo + 1).min(n - 1);
    let (a, b) = (sorted[lo], sorted[hi]);
    let step = (u128::from(b.saturating_sub(a)) * frac).div_ceil(u128::from(PPM));
    Some(a.saturating_add(step as u64))
}

/// `value × (1 + margin)`, rounded up.
pub fn with_margin(value: u64, margin_ppm: u64) -> u64 {
    let v = (u128::from(value) * u128::from(PPM + margin_ppm)).div_ceil(u128::from(PPM));
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// The CPU request for a container's samples (nanocores, one list per pod), before rounding:
/// in millicores, rounded up.
pub fn cpu_statistic(settings: &Settings, per_pod: &[Vec<u64>]) -> Option<u64> {
    let nanos = match settings.strategy {
        Strategy::Simple => per_pod
            .iter()
            .filter_map(|v| {
                let mut v = v.clone();
                v.sort_unstable();
                percentile(&v, settings.cpu_percentile)
            })
            .max(),
        Strategy::Percentile => {
            let mut all: Vec<u64> = per_pod.iter().flatten().copied().collect();
            all.sort_unstable();
            percentile(&all, settings.cpu_percentile)
        }
    }?;
    Some(nanos.div_ceil(1_000_000))
}

/// The memory request for a container's samples (bytes, one list per pod), with the margin and
/// before rounding.
pub fn memory_statistic(settings: &Settings, per_pod: &[Vec<u64>]) -> Option<u64> {
    let stat = match settings.strategy {
        Strategy::Simple => per_pod.iter().flatten().copied().max(),
        Strategy::Percentile => {
            let mut all: Vec<u64> = per_pod.iter().flatten().copied().collect();
            all.sort_unstable();
            percentile(&all, settings.memory_percentile)
        }
    }?;
    Some(with_margin(stat, settings.memory_margin))
}

/// A statistic made a request: rounded up, then at least the floor (krr's `max(rounded, minimal)`).
pub fn cpu_request(settings: &Settings, millis: u64) -> u64 {
    settings.rounding.cpu(millis).max(settings.min_cpu.0)
}

/// A memory statistic made a request: rounded up, then at least the floor.
pub fn memory_request(settings: &Settings, bytes: u64) -> u64 {
    settings.rounding.memory(bytes).max(settings.min_memory.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MI: u64 = 1 << 20;

    fn simple() -> Settings {
        settings(Strategy::Simple)
    }

    #[test]
    fn percentile_interpolates_as_promql_does() {
        // n = 1: the value itself, whatever the quantile.
        assert_eq!(percentile(&[7], 950_000), Some(7));
        // n = 2, q = 0.5: rank 0.5, halfway.
        assert_eq!(percentile(&[10, 20], 500_000), Some(15));
        // n = 10 (1..=10), q = 0.95: rank 8.55, 9 + 0.55 × 1 = 9.55, rounded up to 10.
        let v: Vec<u64> = (1..=10).collect();
        assert_eq!(percentile(&v, 950_000), Some(10));
        // Scaled ×100: 900 + 0.55 × 100 = 955 exactly.
        let v: Vec<u64> = (1..=10).map(|x| x * 100).collect();
        assert_eq!(percentile(&v, 950_000), Some(955));
        // q = 1 is the maximum; q just above 0 is near the minimum.
        assert_eq!(percentile(&v, PPM), Some(1000));
        assert_eq!(percentile(&v, 1), Some(101));
        // 288 samples (a day at 5 minutes), values 0..287: rank 0.95 × 287 = 272.65 → 272.65, up to 273.
        let v: Vec<u64> = (0..288).collect();
        assert_eq!(percentile(&v, 950_000), Some(273));
        // p99.9 of 0..=1000 (n = 1001): rank 999 exactly.
        let v: Vec<u64> = (0..=1000).collect();
        assert_eq!(percentile(&v, 999_000), Some(999));
    }

    #[test]
    fn simple_cpu_is_the_largest_per_pod_percentile() {
        // Pod a: 100..=1000 m in steps of 100 (p95 = 955m); pod b: flat 500m.
        let a: Vec<u64> = (1..=10).map(|x| x * 100_000_000).collect();
        let b = vec![500_000_000; 10];
        assert_eq!(cpu_statistic(&simple(), &[a.clone(), b.clone()]), Some(955));
        // Pooled (the percentile strategy): 20 values, rank 0.95 × 19 = 18.05 → between the 19th
        // and 20th sorted values (900m and 1000m): 900 + 0.05 × 100 = 905m.
        let p = settings(Strategy::Percentile);
        assert_eq!(cpu_statistic(&p, &[a, b]), Some(905));
        // Sub-millicore results round up to the millicore.
        assert_eq!(cpu_statistic(&simple(), &[vec![1_000_001]]), Some(2));
    }

    #[test]
    fn simple_memory_is_the_peak_plus_fifteen_percent() {
        let pods = vec![vec![100 * MI, 200 * MI], vec![150 * MI]];
        // 200Mi × 1.15 = 230Mi.
        assert_eq!(memory_statistic(&simple(), &pods), Some(230 * MI));
        // Exact rounding to the MiB: 1 byte over 230Mi becomes 231Mi.
        assert_eq!(memory_request(&simple(), 230 * MI + 1), 231 * MI);
        // A margin of 0 keeps the peak.
        let s = Settings { memory_margin: 0, ..simple() };
        assert_eq!(memory_statistic(&s, &pods), Some(200 * MI));
        // The percentile strategy: p99 of the three values (rank 1.98): 150 + 0.98 × 50 = 199Mi, + 15%.
        let p = settings(Strategy::Percentile);
        assert_eq!(memory_statistic(&p, &pods), Some(with_margin(199 * MI, 150_000)));
        assert_eq!(with_margin(100, 150_000), 115);
        assert_eq!(with_margin(101, 150_000), 117); // 116.15, up
    }

    #[test]
    fn floors_apply_after_rounding() {
        let s = simple();
        assert_eq!(cpu_request(&s, 3), 10); // floor 10m
        assert_eq!(cpu_request(&s, 11), 11);
        assert_eq!(memory_request(&s, 5 * MI), 100 * MI); // floor 100Mi
        assert_eq!(memory_request(&s, 100 * MI + 1), 101 * MI);
    }

    #[test]
    fn friendly_and_step_rounding() {
        let f = Rounding::Friendly;
        assert_eq!(f.cpu(3), 5);
        assert_eq!(f.cpu(100), 100);
        assert_eq!(f.cpu(101), 110);
        assert_eq!(f.cpu(501), 550);
        assert_eq!(f.cpu(2001), 2100);
        assert_eq!(f.cpu(8001), 8250);
        assert_eq!(f.memory(1), 16 * MI);
        assert_eq!(f.memory(257 * MI), 288 * MI);
        assert_eq!(f.memory(1025 * MI), 1088 * MI);
        assert_eq!(f.memory(4097 * MI), 4352 * MI);
        assert_eq!(f.memory(16385 * MI), 17 * 1024 * MI);
        let s: Rounding = "50m,64Mi".parse().unwrap();
        assert_eq!(s, Rounding::Step { cpu_millis: 50, memory: 64 * MI });
        assert_eq!(s.cpu(51), 100);
        assert_eq!(s.memory(65 * MI), 128 * MI);
        assert_eq!(s.to_string(), "50m,64Mi");
        assert!("0,64Mi".parse::<Rounding>().is_err());
        assert!(
            "nice"
                .parse::<Rounding>()
                .unwrap_err()
                .to_string()
                .contains("expected exact, friendly")
        );
        // Rounding never goes down, and is monotone across the friendly steps' boundaries.
        let mut last = 0;
        for m in 0..10_000 {
            let r = f.cpu(m);
            assert!(r >= m && r >= last, "{m} → {r}");
            last = r;
        }
    }

    #[test]
    fn parses_percentiles_and_margins() {
        assert_eq!(parse_percentile("95"), Ok(950_000));
        assert_eq!(parse_percentile("p99.9"), Ok(999_000));
        assert_eq!(parse_percentile("100"), Ok(PPM));
        assert!(parse_percentile("0").is_err());
        assert!(parse_percentile("101").is_err());
        assert!(parse_percentile("ninety").is_err());
        assert_eq!(parse_margin("15%"), Ok(150_000));
        assert_eq!(parse_margin("0.15"), Ok(150_000));
        assert_eq!(parse_margin("0%"), Ok(0));
        assert!(parse_margin("-5%").is_err());
        assert!(parse_margin("2000%").is_err());
        assert!(parse_margin("15").is_err());
        assert_eq!(ppm_text(999_000, 10_000), "99.9");
        assert_eq!(ppm_text(150_000, 10_000), "15");
    }

    #[test]
    fn the_defaults_are_krrs() {
        let s = simple();
        assert_eq!(
            s.describe(),
            "strategy simple: CPU at the largest per-pod p95, memory at the peak + 15%; floors 10m CPU and 100Mi memory; rounding exact; limits remove-cpu; at least 100 samples per resource; autoscaled workloads kept (--allow-hpa right-sizes them)"
        );
    }
}
