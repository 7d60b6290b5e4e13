//! Money: US dollars per hour as `f64`, and every conversion to months, years and cents.
//!
//! A month is 730 hours and a year 8,760 hours, as the cloud providers' calculators count them.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub};

/// Hours in a month (8,760 / 12).
pub const HOURS_PER_MONTH: f64 = 730.0;
/// Hours in a (non-leap) year.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// A price or cost in US dollars per hour.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Price(pub f64);

impl Price {
    /// Zero dollars.
    pub const ZERO: Price = Price(0.0);

    /// The hourly amount in dollars.
    pub fn hourly(self) -> f64 {
        self.0
    }

    /// The amount per month (730 hours).
    pub fn monthly(self) -> f64 {
        self.0 * HOURS_PER_MONTH
    }

    /// The amount per year (8,760 hours).
    pub fn yearly(self) -> f64 {
        self.0 * HOURS_PER_YEAR
    }

    /// A price given per month, as an hourly price.
    pub fn from_monthly(usd_per_month: f64) -> Price {
        Price(usd_per_month / HOURS_PER_MONTH)
    }

    /// Total order for sorting (prices are finite by construction).
    pub fn total_cmp(&self, other: &Price) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Rounds dollars to whole cents, for display and for comparisons "to the cent".
pub fn round_cents(usd: f64) -> f64 {
    (usd * 100.0).round() / 100.0
}

/// Formats dollars with thousands separators and two decimals (`$12,345.67`).
pub fn format_usd(usd: f64) -> String {
    let cents = (usd * 100.0).round() as i128;
    let negative = cents < 0;
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}${grouped}.{:02}", if negative { "-" } else { "" }, cents % 100)
}

impl fmt::Display for Price {
    /// Hourly prices keep four decimals (`$0.0960/h`), as price sheets print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${:.4}/h", self.0)
    }
}

impl Add for Price {
    type Output = Price;
    fn add(self, rhs: Price) -> Price {
        Price(self.0 + rhs.0)
    }
}

impl AddAssign for Price {
    fn add_assign(&mut self, rhs: Price) {
        self.0 += rhs.0;
    }
}

impl Sub for Price {
    type Output = Price;
    fn sub(self, rhs: Price) -> Price {
        Price(self.0 - rhs.0)
    }
}

impl Mul<f64> for Price {
    type Output = Price;
    fn mul(self, rhs: f64) -> Price {
        Price(self.0 * rhs)
    }
}

impl Sum for Price {
    fn sum<I: Iterator<Item = Price>>(iter: I) -> Price {
        Price(iter.map(|p| p.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_years() {
        let p = Price(0.096);
        assert!((p.monthly() - 70.08).abs() < 1e-9);
        assert!((p.yearly() - 840.96).abs() < 1e-9);
        assert!((Price::from_monthly(70.08).hourly() - 0.096).abs() < 1e-12);
    }

    #[test]
    fn formatting() {
        assert_eq!(format_usd(1234567.891), "$1,234,567.89");
        assert_eq!(format_usd(0.5), "$0.50");
        assert_eq!(format_usd(-12.0), "-$12.00");
        assert_eq!(Price(0.096).to_string(), "$0.0960/h");
        assert_eq!(round_cents(1.005_1), 1.01);
    }
}
