//! The Kubernetes quantity grammar (`250m`, `1.5Gi`, `1e3`) parsed into integer units with the API server's round-up rule.
//!
//! Grammar (as in `k8s.io/apimachinery/pkg/api/resource`):
//!
//! ```text
//! quantity  ::= sign? number suffix
//! number    ::= digits | digits "." digits? | "." digits
//! suffix    ::= "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E"
//!             | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"
//!             | ("e" | "E") sign? digits
//! ```
//!
//! Values round up to the unit: a CPU of `0.0001` is `1m`, a memory of `0.5` is 1 byte.
//! Resource amounts cannot be negative, so a leading `-` is an error here.

use std::fmt;

/// CPU in millicores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpu(pub u64);

/// Memory or storage in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bytes(pub u64);

/// Why a quantity did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QuantityErrorKind {
    /// The text was empty or only white space.
    Empty,
    /// The text starts with `-`; resource amounts are never negative.
    Negative,
    /// The number part is malformed (`1.2.3`, `abc`, `.`).
    InvalidNumber,
    /// The suffix is not one of the known ones (`10mi`, `1Z`).
    UnknownSuffix(String),
    /// The value does not fit the unit's 64-bit integer.
    Overflow,
    /// More than 38 significant digits.
    TooPrecise,
    /// A count (pods, GPUs) must be a whole number.
    NotWhole,
}

impl fmt::Display for QuantityErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityErrorKind::Empty => {
                f.write_str("expected a quantity such as 250m, 2, 512Mi or 1.5Gi, found nothing")
            }
            QuantityErrorKind::Negative => f.write_str("resource quantities cannot be negative"),
            QuantityErrorKind::InvalidNumber => {
                f.write_str("expected a decimal number such as 2, 0.5 or 1.5e3 before the suffix")
            }
            QuantityErrorKind::UnknownSuffix(s) => write!(
                f,
                "unknown suffix {s:?}; expected one of n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3 (suffixes are case-sensitive)"
            ),
            QuantityErrorKind::Overflow => {
                f.write_str("the value is too large (it must fit in 64 bits of the unit)")
            }
            QuantityErrorKind::TooPrecise => f.write_str("more than 38 significant digits"),
            QuantityErrorKind::NotWhole => f.write_str("expected a whole number"),
        }
    }
}

/// A quantity that did not parse; the message quotes the text.
///
/// ```
/// use kplan_core::quantity::Bytes;
/// let err = Bytes::parse("10mi").unwrap_err();
/// assert!(err.to_string().starts_with("invalid quantity \"10mi\": unknown suffix \"mi\""));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid quantity {text:?}: {kind}")]
pub struct QuantityError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub kind: QuantityErrorKind,
}

/// A parsed quantity: `mantissa × 10^exp10 × 2^exp2`, exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Parsed {
    mantissa: u128,
    exp10: i64,
    exp2: u32,
}

fn parse_exact(text: &str) -> Result<Parsed, QuantityErrorKind> {
    let s = text.trim();
    if s.is_empty() {
        return Err(QuantityErrorKind::Empty);
    }
    let s = match s.as_bytes()[0] {
        b'-' => return Err(QuantityErrorKind::Negative),
        b'+' => &s[1..],
        _ => s,
    };
    // The number: digits with at most one dot.
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut mantissa: u128 = 0;
    let mut exp10: i64 = 0;
    let mut n_digits = 0usize;
    let mut significant = 0usize;
    let mut seen_dot = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() {
            n_digits += 1;
            let d = u128::from(c - b'0');
            if mantissa == 0 && d == 0 {
                // Leading zeros are not significant.
            } else {
                significant += 1;
                if significant > 38 {
                    return Err(QuantityErrorKind::TooPrecise);
                }
                mantissa = mantissa * 10 + d;
            }
            if seen_dot {
                exp10 -= 1;
            }
        } else if c == b'.' {
            if seen_dot {
                return Err(QuantityErrorKind::InvalidNumber);
            }
            seen_dot = true;
        } else {
            break;
        }
        i += 1;
    }
    if n_digits == 0 {
        return Err(QuantityErrorKind::InvalidNumber);
    }
    let suffix = &s[i..];
    let (extra10, exp2): (i64, u32) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E']).ok_or_else(|| unknown_suffix(suffix))?;
            (parse_exponent(rest).ok_or_else(|| unknown_suffix(suffix))?, 0)
        }
    };
    Ok(Parsed { mantissa, exp10: exp10 + extra10, exp2 })
}

fn unknown_suffix(suffix: &str) -> QuantityErrorKind {
    if suffix.contains('.') {
        QuantityErrorKind::InvalidNumber
    } else {
        QuantityErrorKind::UnknownSuffix(suffix.to_string())
    }
}

/// The integer after `e`/`E`: an optional sign and at least one digit.
fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Exponents beyond a few hundred only matter for overflow or round-to-one; clamp them.
    let mut value: i64 = 0;
    for b in digits.bytes() {
        value = (value * 10 + i64::from(b - b'0')).min(100_000);
    }
    Some(if negative { -value } else { value })
}

/// `value × 10^scale10`, rounded up to an integer.
fn to_units_ceil(p: Parsed, scale10: i64) -> Result<u64, QuantityErrorKind> {
    if p.mantissa == 0 {
        return Ok(0);
    }
    let mut mantissa = p.mantissa;
    let mut exp10 = p.exp10 + scale10;
    while exp10 < 0 && mantissa.is_multiple_of(10) {
        mantissa /= 10;
        exp10 += 1;
    }
    let num = mantissa.checked_mul(1u128 << p.exp2).ok_or(QuantityErrorKind::Overflow)?;
    let value = if exp10 >= 0 {
        if exp10 > 38 {
            return Err(QuantityErrorKind::Overflow);
        }
        num.checked_mul(10u128.pow(exp10 as u32)).ok_or(QuantityErrorKind::Overflow)?
    } else {
        let k = -exp10;
        if k > 38 {
            // num < 2^128 < 10^39, so the value is below one unit but above zero.
            1
        } else {
            num.div_ceil(10u128.pow(k as u32))
        }
    };
    u64::try_from(value).map_err(|_| QuantityErrorKind::Overflow)
}

fn with_text<T>(text: &str, res: Result<T, QuantityErrorKind>) -> Result<T, QuantityError> {
    res.map_err(|kind| QuantityError { text: text.to_string(), kind })
}

impl Cpu {
    /// Parses cores (`2`, `0.5`) or millicores (`250m`), rounding up to a whole millicore.
    pub fn parse(text: &str) -> Result<Cpu, QuantityError> {
        with_text(text, parse_exact(text).and_then(|p| to_units_ceil(p, 3)).map(Cpu))
    }

    /// Whole cores as millicores.
    pub fn cores(n: u64) -> Cpu {
        Cpu(n * 1000)
    }

    /// The amount in millicores.
    pub fn millis(self) -> u64 {
        self.0
    }

    /// The amount in (possibly fractional) cores.
    pub fn as_cores_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl Bytes {
    /// Parses a byte amount (`512Mi`, `1.5Gi`, `129M`, `128974848`), rounding up to a whole byte.
    pub fn parse(text: &str) -> Result<Bytes, QuantityError> {
        with_text(text, parse_exact(text).and_then(|p| to_units_ceil(p, 0)).map(Bytes))
    }

    /// `n` KiB.
    pub fn kib(n: u64) -> Bytes {
        Bytes(n << 10)
    }

    /// `n` MiB.
    pub fn mib(n: u64) -> Bytes {
        Bytes(n << 20)
    }

    /// `n` GiB.
    pub fn gib(n: u64) -> Bytes {
        Bytes(n << 30)
    }

    /// The amount in GiB as a float, for display and prices only.
    pub fn as_gib_f64(self) -> f64 {
        self.0 as f64 / (1u64 << 30) as f64
    }
}

/// Parses a CPU amount into nanocores (`12345678n`, `12m`, `0.0123`), rounding up to a whole
/// nanocore: the resolution the metrics API reports usage in.
pub fn parse_nanocores(text: &str) -> Result<u64, QuantityError> {
    with_text(text, parse_exact(text).and_then(|p| to_units_ceil(p, 9)))
}

/// Parses a count of whole things (pods, GPUs and other extended resources).
///
/// Kubernetes rejects fractional amounts of extended resources, and so does this.
pub fn parse_count(text: &str) -> Result<u64, QuantityError> {
    let res = parse_exact(text).and_then(|p| {
        let units = to_units_ceil(p, 0)?;
        let milli = to_units_ceil(p, 3);
        match milli {
            Ok(m) if m == units.saturating_mul(1000) => Ok(units),
            Ok(_) => Err(QuantityErrorKind::NotWhole),
            // Too large to carry millis but an integer count: fine when the unit value fit.
            Err(_) if p.exp10 >= 0 => Ok(units),
            Err(e) => Err(e),
        }
    });
    with_text(text, res)
}

impl fmt::Display for Cpu {
    /// Canonical form: whole cores as a plain number, otherwise millicores with `m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(1000) {
            write!(f, "{}", self.0 / 1000)
        } else {
            write!(f, "{}m", self.0)
        }
    }
}

impl fmt::Display for Bytes {
    /// Canonical form: the largest binary suffix that divides exactly, else the largest decimal one, else bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v == 0 {
            return f.write_str("0");
        }
        for (shift, suffix) in
            [(60, "Ei"), (50, "Pi"), (40, "Ti"), (30, "Gi"), (20, "Mi"), (10, "Ki")]
        {
            if v.is_multiple_of(1u64 << shift) {
                return write!(f, "{}{suffix}", v >> shift);
            }
        }
        for (pow, suffix) in [(18, "E"), (15, "P"), (12, "T"), (9, "G"), (6, "M"), (3, "k")] {
            let unit = 10u64.pow(pow);
            if v.is_multiple_of(unit) {
                return write!(f, "{}{suffix}", v / unit);
            }
        }
        write!(f, "{v}")
    }
}

impl Bytes {
    /// A short human form with one decimal in the largest binary unit (`1.5Gi`, `300Mi`), for tables.
    pub fn human(self) -> String {
        let v = self.0 as f64;
        for (shift, suffix) in [(40, "Ti"), (30, "Gi"), (20, "Mi"), (10, "Ki")] {
            let unit = (1u64 << shift) as f64;
            if v >= unit {
                let x = v / unit;
                return if (x - x.round()).abs() < 0.05 {
                    format!("{:.0}{suffix}", x.round())
                } else {
                    format!("{x:.1}{suffix}")
                };
            }
        }
        format!("{}", self.0)
    }
}

impl Cpu {
    /// A short human form for tables: cores with up to two decimals, or millicores below one core.
    pub fn human(self) -> String {
        if self.0 >= 1000 {
            let x = self.0 as f64 / 1000.0;
            let s = format!("{x:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            format!("{}m", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_cpu(text: &str, expect: Result<u64, &str>) {
        let res = Cpu::parse(text).map(|c| c.0).map_err(|e| e.to_string());
        match expect {
            Ok(v) => assert_eq!(res, Ok(v), "cpu {text:?}"),
            Err(msg) => {
                let err = res.expect_err(text);
                assert!(err.contains(msg), "cpu {text:?}: {err:?} lacks {msg:?}");
            }
        }
    }

    fn check_bytes(text: &str, expect: Result<u64, &str>) {
        let res = Bytes::parse(text).map(|c| c.0).map_err(|e| e.to_string());
        match expect {
            Ok(v) => assert_eq!(res, Ok(v), "bytes {text:?}"),
            Err(msg) => {
                let err = res.expect_err(text);
                assert!(err.contains(msg), "bytes {text:?}: {err:?} lacks {msg:?}");
            }
        }
    }

    #[test]
    fn cpu_table() {
        let cases: &[(&str, Result<u64, &str>)] = &[
            ("100m", Ok(100)),
            ("0.1", Ok(100)),
            ("1", Ok(1000)),
            ("1.5", Ok(1500)),
            ("1e3", Ok(1_000_000)),
            ("1E-3", Ok(1)),
            ("0.0001", Ok(1)),
            ("0.0015", Ok(2)),
            ("250m", Ok(250)),
            ("2", Ok(2000)),
            ("0", Ok(0)),
            ("0m", Ok(0)),
            ("+2", Ok(2000)),
            (".5", Ok(500)),
            ("5.", Ok(5000)),
            ("1500u", Ok(2)),
            ("100n", Ok(1)),
            ("1k", Ok(1_000_000)),
            (" 2 ", Ok(2000)),
            ("12.345m", Ok(13)),
            ("1e-9", Ok(1)),
            ("1.5e1", Ok(15_000)),
            ("-1", Err("cannot be negative")),
            ("", Err("found nothing")),
            ("1.2.3", Err("expected a decimal number")),
            ("abc", Err("expected a decimal number")),
            ("1Z", Err("unknown suffix \"Z\"")),
            ("10mi", Err("unknown suffix \"mi\"")),
            ("2 cores", Err("unknown suffix \" cores\"")),
            ("1e", Err("unknown suffix \"e\"")),
            ("20E", Err("too large")),
        ];
        for (text, expect) in cases {
            check_cpu(text, *expect);
        }
    }

    #[test]
    fn bytes_table() {
        let cases: &[(&str, Result<u64, &str>)] = &[
            ("129e6", Ok(129_000_000)),
            ("129M", Ok(129_000_000)),
            ("123Mi", Ok(128_974_848)),
            ("128974848", Ok(128_974_848)),
            ("5Gi", Ok(5 << 30)),
            ("0.5Gi", Ok(1 << 29)),
            ("1Ki", Ok(1024)),
            ("500k", Ok(500_000)),
            ("1T", Ok(1_000_000_000_000)),
            ("2Ei", Ok(2 << 60)),
            ("0", Ok(0)),
            ("1.5Gi", Ok(1_610_612_736)),
            ("100m", Ok(1)),
            ("1Pi", Ok(1 << 50)),
            ("1Ti", Ok(1 << 40)),
            ("1G", Ok(1_000_000_000)),
            ("1P", Ok(1_000_000_000_000_000)),
            ("1E", Ok(1_000_000_000_000_000_000)),
            ("1e3", Ok(1000)),
            ("1E+3", Ok(1000)),
            ("0.1Ki", Ok(103)),
            ("18446744073709551615", Ok(u64::MAX)),
            ("18446744073709551616", Err("too large")),
            ("16Ei", Err("too large")),
            ("1e40", Err("too large")),
            ("99999999999999999999999999999999999999999", Err("38 significant digits")),
            ("10mi", Err("unknown suffix \"mi\"")),
            ("1gi", Err("unknown suffix \"gi\"")),
            ("1KB", Err("unknown suffix \"KB\"")),
            ("-1Gi", Err("cannot be negative")),
            ("Gi", Err("expected a decimal number")),
            (".", Err("expected a decimal number")),
        ];
        for (text, expect) in cases {
            check_bytes(text, *expect);
        }
    }

    #[test]
    fn counts_must_be_whole() {
        assert_eq!(parse_count("4"), Ok(4));
        assert_eq!(parse_count("1k"), Ok(1000));
        assert_eq!(parse_count("2e0"), Ok(2));
        assert_eq!(parse_count("0.5").unwrap_err().kind, QuantityErrorKind::NotWhole);
        assert_eq!(parse_count("500m").unwrap_err().kind, QuantityErrorKind::NotWhole);
        assert_eq!(parse_count("1.0"), Ok(1));
    }

    #[test]
    fn error_text_quotes_input() {
        let err = Cpu::parse("1.2.3").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid quantity \"1.2.3\": expected a decimal number such as 2, 0.5 or 1.5e3 before the suffix"
        );
    }

    #[test]
    fn display_is_canonical() {
        assert_eq!(Cpu(250).to_string(), "250m");
        assert_eq!(Cpu(2000).to_string(), "2");
        assert_eq!(Bytes(128_974_848).to_string(), "123Mi");
        assert_eq!(Bytes(129_000_000).to_string(), "129M");
        assert_eq!(Bytes(1_610_612_736).to_string(), "1536Mi");
        assert_eq!(Bytes(1001).to_string(), "1001");
        assert_eq!(Bytes::gib(5).human(), "5Gi");
        assert_eq!(Bytes(1_610_612_736).human(), "1.5Gi");
        assert_eq!(Cpu(1500).human(), "1.5");
        assert_eq!(Cpu(250).human(), "250m");
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = Cpu::parse(&s);
            let _ = Bytes::parse(&s);
            let _ = parse_count(&s);
        }

        #[test]
        fn grammar_like_text_never_panics(s in "[+-]?[0-9]{0,25}(\\.[0-9]{0,25})?([numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]{1,4})?") {
            let _ = Cpu::parse(&s);
            let _ = Bytes::parse(&s);
        }

        /// Text → value → text → the same value: what the API server accepts prints back to a
        /// canonical quantity that parses to the same amount.
        #[test]
        fn text_value_text_round_trip(s in "[+]?[0-9]{0,12}(\\.[0-9]{0,6})?([mkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]{1,2})?") {
            if let Ok(c) = Cpu::parse(&s) {
                proptest::prop_assert_eq!(Cpu::parse(&c.to_string()), Ok(c), "{:?}", s);
            }
            if let Ok(b) = Bytes::parse(&s) {
                proptest::prop_assert_eq!(Bytes::parse(&b.to_string()), Ok(b), "{:?}", s);
            }
        }

        #[test]
        fn bytes_round_trip(v in proptest::num::u64::ANY) {
            let text = Bytes(v).to_string();
            proptest::prop_assert_eq!(Bytes::parse(&text), Ok(Bytes(v)));
        }

        #[test]
        fn cpu_round_trip(v in proptest::num::u64::ANY) {
            let text = Cpu(v).to_string();
            proptest::prop_assert_eq!(Cpu::parse(&text), Ok(Cpu(v)));
        }
    }
}
