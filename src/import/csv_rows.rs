//! CSV read field by field, for every CSV table Tend imports row by row (the generic CSV,
//! attendance reports): a row of any width costs at most [`MAX_CSV_COLUMNS`] fields of at
//! most [`MAX_LINE_BYTES`] each, whatever the file holds, and bytes that are not UTF-8 are
//! replaced by U+FFFD and said for that row instead of failing the whole file.

use csv::StringRecord;

use crate::limits::{MAX_CSV_COLUMNS, MAX_LINE_BYTES};

/// One row as read, and what reading it changed.
#[derive(Debug, Clone)]
pub struct Row {
    /// The line the row starts on (1 for the first).
    pub line: u64,
    /// Its first [`MAX_CSV_COLUMNS`] fields.
    pub record: StringRecord,
    /// Bytes that were not UTF-8 were replaced by U+FFFD.
    pub replaced: bool,
    /// Fields past [`MAX_CSV_COLUMNS`] were left out, or a field was cut at
    /// [`MAX_LINE_BYTES`].
    pub cut: bool,
}

impl Row {
    /// What reading this row changed, for the import's report ("kept, with …"), if
    /// anything.
    pub fn note(&self) -> Option<String> {
        let mut what = Vec::new();
        if self.replaced {
            what.push("bytes that are not UTF-8 replaced by �".to_string());
        }
        if self.cut {
            what.push(format!(
                "only its first {MAX_CSV_COLUMNS} columns, each of at most {MAX_LINE_BYTES} bytes, read"
            ));
        }
        (!what.is_empty()).then(|| format!("kept, with {}", what.join(" and ")))
    }
}

/// The rows of the CSV text `bytes` separated by `delimiter` (blank lines skipped, a
/// UTF-8 byte-order mark ignored).
pub fn rows(bytes: &[u8], delimiter: u8) -> Rows<'_> {
    Rows {
        core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
        input: bytes,
        field: vec![0; 4096],
        done: false,
    }
}

/// The rows of a CSV text, one at a time ([`rows`]).
pub struct Rows<'a> {
    core: csv_core::Reader,
    input: &'a [u8],
    /// The field being read (grown up to [`MAX_LINE_BYTES`]).
    field: Vec<u8>,
    done: bool,
}

impl Rows<'_> {
    /// Skips the line ends before a row, so the row's own line is known.
    fn skip_blank_lines(&mut self) {
        let blank = self
            .input
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .count();
        let newlines = self.input[..blank].iter().filter(|b| **b == b'\n').count();
        self.input = &self.input[blank..];
        self.core.set_line(self.core.line() + newlines as u64);
    }
}

impl Iterator for Rows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.done {
            return None;
        }
        self.skip_blank_lines();
        let mut row = Row {
            line: self.core.line(),
            record: StringRecord::new(),
            replaced: false,
            cut: false,
        };
        let mut used = 0;
        let mut spill = [0u8; 1024];
        loop {
            let keep = used < self.field.len();
            let out = if keep {
                &mut self.field[used..]
            } else {
                &mut spill[..]
            };
            let (result, read, wrote) = self.core.read_field(self.input, out);
            self.input = &self.input[read..];
            if keep {
                used += wrote;
            } else {
                row.cut |= wrote > 0;
            }
            match result {
                csv_core::ReadFieldResult::InputEmpty => {}
                csv_core::ReadFieldResult::OutputFull => {
                    if self.field.len() < MAX_LINE_BYTES {
                        let grown = (self.field.len() * 2).min(MAX_LINE_BYTES);
                        self.field.resize(grown, 0);
                    }
                }
                csv_core::ReadFieldResult::Field { record_end } => {
                    if row.record.len() < MAX_CSV_COLUMNS {
                        let text = String::from_utf8_lossy(&self.field[..used]);
                        row.replaced |= matches!(text, std::borrow::Cow::Owned(_));
                        row.record.push_field(&text);
                    } else {
                        row.cut = true;
                    }
                    used = 0;
                    if record_end {
                        return Some(row);
                    }
                }
                csv_core::ReadFieldResult::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_byte_is_replaced_in_its_row_only_and_lines_are_counted() {
        let text = b"\xef\xbb\xbfname,email\n\nAna,ana@x.org\r\nB\xffn,\"b@x\norg\"\nCy,cy@x.org";
        let got: Vec<Row> = rows(text, b',').collect();
        let lines: Vec<u64> = got.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 3, 4, 6]);
        assert_eq!(&got[0].record[0], "name");
        assert_eq!(&got[2].record[0], "B\u{FFFD}n");
        assert_eq!(&got[2].record[1], "b@x\norg");
        let replaced: Vec<bool> = got.iter().map(|r| r.replaced).collect();
        assert_eq!(replaced, [false, false, true, false]);
        assert!(got[2].note().is_some_and(|n| n.contains("UTF-8")));
        assert_eq!(got[3].note(), None);
    }

    #[test]
    fn a_row_of_a_million_columns_keeps_only_the_first() {
        let mut text = "a".to_string();
        text.push_str(&",b".repeat(1_000_000));
        text.push_str("\nnext,row\n");
        let got: Vec<Row> = rows(text.as_bytes(), b',').collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].record.len(), MAX_CSV_COLUMNS);
        assert!(got[0].cut);
        assert_eq!((got[1].line, &got[1].record[1]), (2, "row"));
        assert!(!got[1].cut);
    }
}
