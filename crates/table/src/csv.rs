//! CSV rendering and the calendar arithmetic behind dates.

use std::io::Write as _;

use crate::{Cell, OwnedCell, Schema};

/// Appends one field, unterminated, to `out`.
pub(crate) fn push_field(out: &mut Vec<u8>, value: &Cell<'_>) {
    // Writing into a Vec<u8> cannot fail.
    match *value {
        Cell::Null => {}
        Cell::Int32(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Int64(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Float64(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Bool(v) => out.extend_from_slice(if v { b"true" } else { b"false" }),
        Cell::Date(days) => push_date(out, days),
        Cell::Text(s) => push_text(out, s),
    }
}

/// Appends a text field, quoted when it has to be.
pub(crate) fn push_text(out: &mut Vec<u8>, s: &str) {
    let needs_quotes = s.is_empty() || s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if !needs_quotes {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    out.push(b'"');
    for piece in s.split_inclusive('"') {
        out.extend_from_slice(piece.as_bytes());
        if piece.ends_with('"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// Appends a date as `YYYY-MM-DD`.
fn push_date(out: &mut Vec<u8>, days: i32) {
    let (year, month, day) = civil_from_days(days);
    let _ = if (0..=9999).contains(&year) {
        write!(out, "{year:04}-{month:02}-{day:02}")
    } else if year < 0 {
        write!(out, "-{:04}-{month:02}-{day:02}", -year)
    } else {
        write!(out, "+{year}-{month:02}-{day:02}")
    };
}

/// Appends a line: the fields of `values` separated by commas, then `\n`.
pub(crate) fn push_line(out: &mut Vec<u8>, values: &[Cell<'_>]) {
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_field(out, value);
    }
    out.push(b'\n');
}

/// The header line of a schema (column names, `\n` at the end), exactly as
/// the CSV writer writes it.
pub fn csv_header(schema: &Schema) -> String {
    let mut out = Vec::new();
    for (i, column) in schema.columns().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_text(&mut out, column.name);
    }
    out.push(b'\n');
    into_string(out)
}

/// One row as the CSV writer writes it, `\n` included. A test can render
/// what the Parquet reader gave back with this and compare it, byte for
/// byte, with the CSV file.
///
/// One line per row, fields separated by `,`, lines ended by `\n` (not the
/// CRLF of RFC 4180: every reader of interest takes LF, and it keeps the
/// bytes the same on every platform). The first line is the header of
/// column names.
///
/// | value        | field                                                       |
/// |--------------|-------------------------------------------------------------|
/// | `Null`       | empty                                                       |
/// | `Int32/64`   | decimal, `-` for negatives                                  |
/// | `Float64`    | Rust's `{}`: the shortest text that parses back to the same value (`NaN`, `inf`, `-inf` for the specials; a NaN loses its sign and payload) |
/// | `Bool`       | `true` / `false`                                            |
/// | `Date`       | `YYYY-MM-DD`; years outside 0..=9999 as `-YYYY` or `+YYYYY` (ISO 8601 expanded) |
/// | `Text`       | as is; in double quotes (inner quotes doubled) when it contains `,` `"` CR or LF, or is empty |
///
/// The empty string is written `""` so that it stays distinct from a null.
pub fn csv_line(values: &[OwnedCell]) -> String {
    let borrowed: Vec<Cell<'_>> = values.iter().map(OwnedCell::as_value).collect();
    let mut out = Vec::new();
    push_line(&mut out, &borrowed);
    into_string(out)
}

/// Everything pushed is UTF-8 (ASCII, or whole `&str`s).
pub(crate) fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The proleptic Gregorian date `(year, month, day)` of a count of days
/// since 1970-01-01 (Howard Hinnant's `civil_from_days`). Month and day
/// count from 1.
pub fn civil_from_days(days: i32) -> (i64, u32, u32) {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March first
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both fit: month in 1..=12, day in 1..=31.
    (year, month as u32, day as u32)
}

/// The count of days since 1970-01-01 of a proleptic Gregorian date
/// (Howard Hinnant's `days_from_civil`), or `None` when the month or day
/// is out of range or the count does not fit an `i32`.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i32> {
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 }; // [0, 11]
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    i32::try_from(era.checked_mul(146_097)?.checked_add(doe - 719_468)?).ok()
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(value: Cell<'_>) -> String {
        let mut out = Vec::new();
        push_field(&mut out, &value);
        into_string(out)
    }

    #[test]
    fn dates_known() {
        assert_eq!(field(Cell::Date(0)), "1970-01-01");
        assert_eq!(field(Cell::Date(-1)), "1969-12-31");
        assert_eq!(field(Cell::Date(11_016)), "2000-02-29");
        assert_eq!(field(Cell::Date(-719_468)), "0000-03-01");
        assert_eq!(field(Cell::Date(-719_469)), "0000-02-29");
        assert_eq!(field(Cell::Date(-719_529)), "-0001-12-31");
        assert_eq!(field(Cell::Date(2_932_897)), "+10000-01-01");
        assert_eq!(field(Cell::Date(i32::MIN)), "-5877641-06-23");
        assert_eq!(field(Cell::Date(i32::MAX)), "+5881580-07-11");
        assert_eq!(days_from_civil(1952, 7, 1), Some(-6393));
        assert_eq!(days_from_civil(2001, 2, 29), None);
        assert_eq!(days_from_civil(2001, 13, 1), None);
    }

    #[test]
    fn dates_round_trip_every_day_of_six_centuries() {
        let mut expected = days_from_civil(1800, 1, 1);
        for year in 1800..2400 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let days = days_from_civil(year, month, day);
                    assert_eq!(days, expected, "{year}-{month}-{day}");
                    let Some(d) = days else {
                        panic!("{year}-{month}-{day} out of range")
                    };
                    assert_eq!(civil_from_days(d), (year, month, day));
                    expected = Some(d + 1);
                }
            }
        }
    }

    #[test]
    fn dates_extremes_round_trip() {
        for d in [i32::MIN, i32::MIN + 1, -1, 0, 1, i32::MAX - 1, i32::MAX] {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, day), Some(d));
        }
    }

    #[test]
    fn text_quoting() {
        assert_eq!(field(Cell::Text("plain")), "plain");
        assert_eq!(field(Cell::Text("")), "\"\"");
        assert_eq!(field(Cell::Text("a,b")), "\"a,b\"");
        assert_eq!(field(Cell::Text("say \"hi\"")), "\"say \"\"hi\"\"\"");
        assert_eq!(field(Cell::Text("\"")), "\"\"\"\"");
        assert_eq!(field(Cell::Text("line\nbreak")), "\"line\nbreak\"");
        assert_eq!(field(Cell::Text("cr\r")), "\"cr\r\"");
        assert_eq!(field(Cell::Text("Kathy H. — carer")), "Kathy H. — carer");
        assert_eq!(field(Cell::Text(" spaced ")), " spaced ");
    }

    #[test]
    fn scalars() {
        assert_eq!(field(Cell::Null), "");
        assert_eq!(field(Cell::Int32(i32::MIN)), "-2147483648");
        assert_eq!(field(Cell::Int64(i64::MAX)), "9223372036854775807");
        assert_eq!(field(Cell::Bool(true)), "true");
        assert_eq!(field(Cell::Bool(false)), "false");
        assert_eq!(field(Cell::Float64(0.1)), "0.1");
        assert_eq!(field(Cell::Float64(-0.0)), "-0");
        assert_eq!(field(Cell::Float64(f64::NAN)), "NaN");
        assert_eq!(field(Cell::Float64(f64::NEG_INFINITY)), "-inf");
        for x in [0.1, 1.0 / 3.0, 1e300, 5e-324, -2.5e-8, f64::MAX] {
            let text = field(Cell::Float64(x));
            assert_eq!(
                text.parse::<f64>().map(f64::to_bits),
                Ok(x.to_bits()),
                "{text}"
            );
        }
    }
}
