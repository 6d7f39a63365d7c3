//! `server check-identifiers`: the identifier check over JSON lines, for
//! administrators scanning exports and for tests.
//!
//! Each input line is `{"id": …, "text": …, "names_to_watch": [...]}`; each
//! answer is `{"id": …, "spans": [{"start": …, "end": …, "class": …}]}`,
//! offsets in characters (code points), end exclusive. A line that cannot
//! be read gets `{"line": N, "error": …}` and the others are still answered.

use std::io::{self, BufRead, Write};

use app::domain::identifiers::{find_identifiers, Finding, Watchlist};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    names_to_watch: Vec<String>,
}

#[derive(Serialize)]
struct Answer<'a> {
    id: &'a serde_json::Value,
    spans: &'a [Finding],
}

#[derive(Serialize)]
struct LineError {
    line: usize,
    error: String,
}

/// How many lines were answered and how many were refused.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScanSummary {
    pub answered: usize,
    pub refused: usize,
}

/// Answers every line of `input` on `output`; blank lines are skipped.
pub fn check_lines(input: impl BufRead, mut output: impl Write) -> io::Result<ScanSummary> {
    let mut summary = ScanSummary::default();
    for (index, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Request>(&line) {
            Ok(request) => {
                let spans = find_identifiers(
                    &request.text,
                    Watchlist {
                        names: &request.names_to_watch,
                        own_codes: &[],
                    },
                );
                summary.answered += 1;
                serde_json::to_string(&Answer {
                    id: &request.id,
                    spans: &spans,
                })
            }
            Err(error) => {
                summary.refused += 1;
                serde_json::to_string(&LineError {
                    line: index + 1,
                    error: format!(
                        "expected {{\"id\": …, \"text\": \"…\", \"names_to_watch\": [\"…\"]}}: {error}"
                    ),
                })
            }
        }
        .map_err(io::Error::other)?;
        writeln!(output, "{answer}")?;
    }
    output.flush()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(input: &str) -> (Vec<serde_json::Value>, ScanSummary) {
        let mut output = Vec::new();
        let summary = check_lines(input.as_bytes(), &mut output).unwrap();
        let lines = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (lines, summary)
    }

    #[test]
    fn each_line_is_answered_with_its_id_and_spans_in_characters() {
        let (lines, summary) = answers(concat!(
            r#"{"id": 7, "text": "Zoë wrote from zoe@example.com", "names_to_watch": ["Zoë"]}"#,
            "\n",
            r#"{"id": "b", "text": "a PHQ-9 score of 14"}"#,
            "\n"
        ));
        assert_eq!(
            summary,
            ScanSummary {
                answered: 2,
                refused: 0
            }
        );
        assert_eq!(
            lines[0],
            serde_json::json!({"id": 7, "spans": [
                {"start": 0, "end": 3, "class": "name"},
                {"start": 15, "end": 30, "class": "email"}
            ]})
        );
        assert_eq!(lines[1], serde_json::json!({"id": "b", "spans": []}));
    }

    #[test]
    fn a_bad_line_gets_an_error_naming_it_and_the_rest_are_answered() {
        let (lines, summary) = answers(concat!(
            "not json\n",
            "\n",
            r#"{"id": 2, "txt": "typo"}"#,
            "\n",
            r#"{"id": 3, "text": "call 617-555-0142"}"#,
            "\n"
        ));
        assert_eq!(
            summary,
            ScanSummary {
                answered: 1,
                refused: 2
            }
        );
        assert_eq!(lines[0]["line"], 1);
        assert_eq!(lines[1]["line"], 3);
        assert!(lines[1]["error"].as_str().unwrap().contains("txt"));
        assert_eq!(
            lines[2],
            serde_json::json!({"id": 3, "spans": [{"start": 5, "end": 17, "class": "phone"}]})
        );
    }
}
