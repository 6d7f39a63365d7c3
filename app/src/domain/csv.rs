//! CSV as the downloads write it (RFC 4180): comma-separated, CRLF line
//! ends, fields quoted when they hold a comma, a quote or a line break.
//!
//! Names and codes in a download are typed by users, and a spreadsheet
//! runs a cell that starts with `=`, `+`, `-` or `@` as a formula (one
//! that can fetch a web address or run a command). Such a field is written
//! with a leading apostrophe, which spreadsheets show as text; a plain
//! number such as `-3` or `+1.5` is left as it is.

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `field`, with an apostrophe in front when a spreadsheet would otherwise
/// run it as a formula.
fn inert(field: &str) -> std::borrow::Cow<'_, str> {
    let formula = field.starts_with(FORMULA_STARTS) && field.trim().parse::<f64>().is_err();
    if formula {
        format!("'{field}").into()
    } else {
        field.into()
    }
}

/// One CSV record: a field a spreadsheet would run as a formula gets a
/// leading apostrophe; fields with a comma, a quote or a line break are
/// quoted, quotes doubled.
pub fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|field| {
            let field = inert(field);
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Reads CSV back into records, so tests compare a download field by
/// field. Strict: a quote inside an unquoted field or an unclosed quote is
/// an error, and every record must end with CRLF. (Public for the
/// integration tests, which parse the downloads back.)
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, '"') => return Err(format!("stray quote after {field:?}")),
            (false, ',') => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, '\r') if chars.next() == Some('\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                was_quoted = false;
            }
            (false, '\r') => return Err("a carriage return outside quotes".to_string()),
            (false, c) if was_quoted => return Err(format!("{c:?} after a closing quote")),
            (false, c) => field.push(c),
        }
    }
    if quoted || !field.is_empty() || !record.is_empty() {
        return Err("the last record is not complete".to_string());
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_that_need_it_are_quoted() {
        let fields = ["plain", "a,b", "say \"so\"", "two\nlines"].map(String::from);
        assert_eq!(
            csv_line(&fields),
            "plain,\"a,b\",\"say \"\"so\"\"\",\"two\nlines\"\r\n"
        );
    }

    #[test]
    fn formulas_are_written_as_text_and_numbers_as_numbers() {
        let fields = [
            "=HYPERLINK(\"http://x\",\"open\")",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            "\tlead",
            "\r=1",
            "-3",
            "+1.5",
            "-0.25",
            "a=b",
            "",
        ]
        .map(String::from);
        assert_eq!(
            parse_csv(&csv_line(&fields)).unwrap(),
            [[
                "'=HYPERLINK(\"http://x\",\"open\")",
                "'+SUM(A1)",
                "'-2+3",
                "'@cmd",
                "'\tlead",
                "'\r=1",
                "-3",
                "+1.5",
                "-0.25",
                "a=b",
                "",
            ]]
        );
    }

    #[test]
    fn what_is_written_reads_back_field_by_field() {
        let records = vec![
            ["", "a,b", "\"", "a\r\n", "x\ry"]
                .map(String::from)
                .to_vec(),
            ["plain", "", "", "", "\"\""].map(String::from).to_vec(),
        ];
        let text: String = records.iter().map(|record| csv_line(record)).collect();
        assert_eq!(parse_csv(&text), Ok(records));
    }

    #[test]
    fn malformed_text_is_refused() {
        for bad in ["a\"b\r\n", "\"open\r\n", "\"a\"b\r\n", "a,b", "a\rb\r\n"] {
            assert!(parse_csv(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_csv(""), Ok(Vec::new()));
    }
}
