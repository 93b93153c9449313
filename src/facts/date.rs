//! Calendar dates as case files write them: full dates, and partial dates (month or year only).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A full calendar date (`2025-03-03`), printed in UK style ("3 March 2025").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

/// How much of a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date known to the day, the month or only the year (`2018`, `2018-02`, `2018-02-14`).
///
/// Comparisons use the earliest day the date could be; [`PartialDate::latest`] gives the other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// The months' names, as dates are printed.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a date string was refused; the text is shown to the user after "expected …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

fn parse_year(text: &str) -> Result<i32, DateError> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError(format!("a four-digit year, found `{text}`")));
    }
    let year: i32 = text
        .parse()
        .map_err(|_| DateError(format!("a year, found `{text}`")))?;
    if !(1900..=2100).contains(&year) {
        return Err(DateError(format!(
            "a year between 1900 and 2100, found `{year}`"
        )));
    }
    Ok(year)
}

fn parse_two(text: &str, what: &str) -> Result<u32, DateError> {
    if text.len() != 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError(format!("a two-digit {what}, found `{text}`")));
    }
    text.parse()
        .map_err(|_| DateError(format!("a {what}, found `{text}`")))
}

impl Date {
    /// Parses `YYYY-MM-DD`; rejects impossible days such as `2024-02-30`.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let partial = PartialDate::parse_shaped(text, true)?;
        match partial.precision() {
            Precision::Day => Ok(Date(partial.earliest())),
            _ => Err(DateError(format!(
                "a full date `YYYY-MM-DD`, found `{text}` (this field needs the day)"
            ))),
        }
    }

    /// "3 March 2025".
    pub fn uk(&self) -> String {
        format!(
            "{} {} {}",
            self.0.day(),
            MONTHS[self.0.month0() as usize],
            self.0.year()
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<PartialDate, DateError> {
        PartialDate::parse_shaped(text, false)
    }

    /// Parses as [`PartialDate::parse`]; a malformed text is refused with the forms the field
    /// takes (`full_only`: the day only, so the message never offers a month or a year).
    fn parse_shaped(text: &str, full_only: bool) -> Result<PartialDate, DateError> {
        let parts: Vec<&str> = text.split('-').collect();
        let shape = || {
            DateError(if full_only {
                format!("a date `YYYY-MM-DD`, found `{text}`")
            } else {
                format!(
                    "a date `YYYY-MM-DD`, or a month `YYYY-MM` or year `YYYY` if the day is not known, found `{text}`"
                )
            })
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err(shape());
        }
        let four_digits = parts[0].len() == 4 && parts[0].bytes().all(|b| b.is_ascii_digit());
        // A well-formed but implausible year (0000, 2999) gets its own message.
        let year = parse_year(parts[0]).map_err(|e| if four_digits { e } else { shape() })?;
        let month = match parts.get(1) {
            Some(m) => {
                let m = parse_two(m, "month").map_err(|_| shape())?;
                if !(1..=12).contains(&m) {
                    return Err(DateError(format!(
                        "a month from 01 to 12, found `{m:02}` in `{text}`"
                    )));
                }
                Some(m)
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = parse_two(d, "day").map_err(|_| shape())?;
                let month = month.unwrap_or(1);
                if NaiveDate::from_ymd_opt(year, month, d).is_none() {
                    return Err(DateError(format!(
                        "a real calendar date, but {} {} has no day {d} (`{text}`)",
                        MONTHS[(month - 1) as usize],
                        year
                    )));
                }
                Some(d)
            }
            None => None,
        };
        Ok(PartialDate { year, month, day })
    }

    pub fn from_date(date: Date) -> PartialDate {
        PartialDate {
            year: date.0.year(),
            month: Some(date.0.month()),
            day: Some(date.0.day()),
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The first day this date could be.
    pub fn earliest(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .expect("validated at parse time")
    }

    /// The last day this date could be.
    pub fn latest(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d).expect("validated"),
            (Some(m), None) => {
                let (y, next) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(y, next, 1)
                    .expect("valid")
                    .pred_opt()
                    .expect("valid")
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("valid"),
        }
    }

    /// Whether this date is before `day`: `Some` when every day it could be agrees, `None` when
    /// the answer turns on the unknown day (or month).
    pub fn before(&self, day: NaiveDate) -> Option<bool> {
        if self.latest() < day {
            Some(true)
        } else if self.earliest() >= day {
            Some(false)
        } else {
            None
        }
    }

    /// Whether this date is on or before `other`, over every day each could be; `None` when the
    /// two ranges overlap so that the order turns on an unknown day.
    pub fn on_or_before(&self, other: &PartialDate) -> Option<bool> {
        if self.latest() <= other.earliest() {
            Some(true)
        } else if self.earliest() > other.latest() {
            Some(false)
        } else {
            None
        }
    }

    /// "3 March 2025", "March 2025" or "2025".
    pub fn uk(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[(m - 1) as usize], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[(m - 1) as usize], self.year),
            _ => self.year.to_string(),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).map_err(|e| serde::de::Error::custom(format!("expected {}", e.0)))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        PartialDate::parse(&text).map_err(|e| serde::de::Error::custom(format!("expected {}", e.0)))
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date" })
    }
}

impl JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "partial-date" })
    }
}

/// Whole years and remaining months between `dob` and `on` (the age on that day).
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> Option<(i32, u32)> {
    if on < dob {
        return None;
    }
    let mut years = on.year() - dob.year();
    let mut months = on.month() as i32 - dob.month() as i32;
    if on.day() < dob.day() {
        months -= 1;
    }
    if months < 0 {
        years -= 1;
        months += 12;
    }
    // A 29 February birthday counts as reached on 1 March in common years (the day-of-month
    // comparison above gives that). Statute does not settle the point, so a practitioner should
    // check any letter where it matters; `explain` shows every computed age.
    Some((years, months as u32))
}

/// The ages someone born on `dob` could have been on a date known only to the month or year:
/// the age on its first and on its last possible day (the same pair for a full date). `None`
/// if they were not yet born on the first day.
pub fn age_range(dob: NaiveDate, on: &PartialDate) -> Option<((i32, u32), (i32, u32))> {
    Some((age_on(dob, on.earliest())?, age_on(dob, on.latest())?))
}

/// Whether someone born on `dob` was under 18 on `on`: `Some` when every day `on` could be
/// agrees, `None` when they turned 18 within it (so the answer turns on the unknown day).
pub fn child_on(dob: NaiveDate, on: &PartialDate) -> Option<bool> {
    let child = |day: NaiveDate| age_on(dob, day).is_some_and(|(years, _)| years < 18);
    match (child(on.earliest()), child(on.latest())) {
        (a, b) if a == b => Some(a),
        _ => None,
    }
}

/// The date on which someone born on `dob` turns `years` old.
pub fn birthday(dob: NaiveDate, years: i32) -> NaiveDate {
    let y = dob.year() + years;
    NaiveDate::from_ymd_opt(y, dob.month(), dob.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(y, 3, 1).expect("1 March exists"))
}

/// Whether someone born on any of `dobs` is under 18 on any of `dates`: the one rule for "a
/// child on any of these dates". Each caller documents its dates: `derive` (the legal fact) asks
/// on the claimed date of birth at the decision dates and the exploitation
/// (`derive::child::child_status`); the web form asks on either date of birth at every date
/// given so far, to decide which questions to show (`serve::relevance`).
pub fn child_on_any(dobs: &[NaiveDate], dates: &[NaiveDate]) -> bool {
    dobs.iter().any(|dob| {
        dates
            .iter()
            .any(|on| age_on(*dob, *on).is_some_and(|(years, _)| years < 18))
    })
}

/// Whole calendar months from `from` to `to` (0 if `to` is not later).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    if to <= from {
        return 0;
    }
    let mut months =
        (to.year() - from.year()) as i64 * 12 + to.month() as i64 - from.month() as i64;
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0)
}

/// Months from `from` to `to` rounded to the nearest whole month (half a month or more rounds
/// up): how a letter says "in about 14 months".
pub fn months_nearest(from: NaiveDate, to: NaiveDate) -> i64 {
    let whole = months_between(from, to);
    let after_whole = from
        .checked_add_months(chrono::Months::new(whole as u32))
        .unwrap_or(from);
    let rest = (to - after_whole).num_days();
    whole + i64::from(rest >= 15)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        Date::parse(s).unwrap().0
    }

    #[test]
    fn parses_full_and_partial_dates() {
        assert_eq!(
            PartialDate::parse("2018").unwrap().precision(),
            Precision::Year
        );
        assert_eq!(PartialDate::parse("2018-02").unwrap().uk(), "February 2018");
        assert_eq!(
            PartialDate::parse("2018-02-14").unwrap().uk(),
            "14 February 2018"
        );
        assert_eq!(
            PartialDate::parse("2018-02").unwrap().latest(),
            d("2018-02-28")
        );
        assert_eq!(
            PartialDate::parse("2020-02").unwrap().latest(),
            d("2020-02-29")
        );
        assert_eq!(Date::parse("2025-03-03").unwrap().uk(), "3 March 2025");
    }

    #[test]
    fn rejects_impossible_dates_with_a_reason() {
        let err = Date::parse("2024-02-30").unwrap_err().0;
        assert!(err.contains("February 2024 has no day 30"), "{err}");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("0000-01-01").is_err());
        assert!(
            Date::parse("2024-13-01")
                .unwrap_err()
                .0
                .contains("month from 01 to 12")
        );
        assert!(
            Date::parse("2024-03")
                .unwrap_err()
                .0
                .contains("needs the day")
        );
        assert!(PartialDate::parse("3/4/2024").is_err());
        assert!(PartialDate::parse("2024-3-4").is_err());
    }

    #[test]
    fn ages_across_birthdays_and_leap_days() {
        assert_eq!(age_on(d("1996-05-12"), d("2026-11-16")), Some((30, 6)));
        assert_eq!(age_on(d("2008-11-16"), d("2026-11-15")), Some((17, 11)));
        assert_eq!(age_on(d("2008-11-16"), d("2026-11-16")), Some((18, 0)));
        // Born on 29 February: 18 on 1 March in a common year, not on 28 February.
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), Some((17, 11)));
        assert_eq!(age_on(d("2008-02-29"), d("2026-03-01")), Some((18, 0)));
        assert_eq!(birthday(d("2008-02-29"), 18), d("2026-03-01"));
        assert_eq!(birthday(d("2008-02-29"), 16), d("2024-02-29"));
        assert_eq!(age_on(d("2008-02-29"), d("2024-02-29")), Some((16, 0)));
        assert_eq!(age_on(d("2010-01-01"), d("2009-12-31")), None);
    }

    #[test]
    fn ages_over_a_partial_date_are_a_range() {
        let p = |s: &str| PartialDate::parse(s).unwrap();
        // Born 16 February 2005: 15 at the start of 2021, 16 by its end.
        assert_eq!(
            age_range(d("2005-02-16"), &p("2021")),
            Some(((15, 10), (16, 10)))
        );
        // Within February 2021 the 16th birthday falls on the 16th.
        let (first, last) = age_range(d("2005-02-16"), &p("2021-02")).unwrap();
        assert_eq!((first.0, last.0), (15, 16));
        // A month that holds no birthday gives one age.
        let (first, last) = age_range(d("2005-02-16"), &p("2021-05")).unwrap();
        assert_eq!((first.0, last.0), (16, 16));
        // A full date is a range of one day.
        let (first, last) = age_range(d("2005-02-16"), &p("2021-02-15")).unwrap();
        assert_eq!(first, last);
    }

    #[test]
    fn child_status_on_a_partial_date_is_decided_only_when_every_day_agrees() {
        let p = |s: &str| PartialDate::parse(s).unwrap();
        // 18 on 10 March 2026.
        let dob = d("2008-03-10");
        assert_eq!(child_on(dob, &p("2026-02")), Some(true));
        assert_eq!(child_on(dob, &p("2026-03")), None);
        assert_eq!(child_on(dob, &p("2026")), None);
        assert_eq!(child_on(dob, &p("2026-04")), Some(false));
        assert_eq!(child_on(dob, &p("2026-03-09")), Some(true));
        assert_eq!(child_on(dob, &p("2026-03-10")), Some(false));
        // Before birth is not "under 18", as for `child_on_any`.
        assert_eq!(child_on(dob, &p("2007")), Some(false));
    }

    #[test]
    fn partial_dates_compare_only_when_every_day_agrees() {
        let p = |s: &str| PartialDate::parse(s).unwrap();
        let jan30 = d("2023-01-30");
        assert_eq!(p("2022-12").before(jan30), Some(true));
        assert_eq!(p("2023-01").before(jan30), None);
        assert_eq!(p("2023-01-29").before(jan30), Some(true));
        assert_eq!(p("2023-01-30").before(jan30), Some(false));
        assert_eq!(p("2023-02").before(jan30), Some(false));
        assert_eq!(p("2021-06").on_or_before(&p("2021-07-01")), Some(true));
        assert_eq!(p("2021-06").on_or_before(&p("2021-06-15")), None);
        assert_eq!(p("2021-06-15").on_or_before(&p("2021-06-15")), Some(true));
        assert_eq!(p("2021-07").on_or_before(&p("2021-06")), Some(false));
    }

    #[test]
    fn months_nearest_rounds_half_a_month_up() {
        assert_eq!(months_nearest(d("2026-11-16"), d("2028-01-30")), 14);
        assert_eq!(months_nearest(d("2026-11-16"), d("2028-01-31")), 15);
        assert_eq!(months_between(d("2026-11-16"), d("2028-01-31")), 14);
    }

    #[test]
    fn months_between_counts_whole_months() {
        assert_eq!(months_between(d("2026-11-16"), d("2027-05-16")), 6);
        assert_eq!(months_between(d("2026-11-16"), d("2027-05-15")), 5);
        assert_eq!(months_between(d("2026-11-16"), d("2026-01-01")), 0);
    }
}
