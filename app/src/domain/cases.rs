//! A therapist's cases: pseudonymous codes, the frame of the work, and the
//! names that must never appear in what is shared.

use serde::{Deserialize, Serialize};

use super::{
    text::{has_hidden_characters, normalized},
    time::parse_iso_date,
    validation::FieldErrors,
    vocabulary::{CaseStatus, Modality, SessionFrequency},
};

pub const CODE_MAX_CHARS: usize = 40;
pub const NAME_TO_WATCH_MAX_CHARS: usize = 60;
pub const NAMES_TO_WATCH_MAX: usize = 50;
pub const PLANNED_SESSIONS_MAX: u32 = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseId(pub i64);

/// A case as its therapist sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub details: CaseDetails,
    pub status: CaseStatus,
}

/// What the therapist chooses about a case (validated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetails {
    pub code: String,
    pub modality: Modality,
    pub frequency: SessionFrequency,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    pub planned_sessions: Option<u32>,
    pub names_to_watch: Vec<String>,
}

/// One line of the "My cases" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: CaseId,
    pub code: String,
    pub status: CaseStatus,
    pub frequency: SessionFrequency,
    pub sessions: i64,
    /// Session date of the newest reflection, `YYYY-MM-DD`.
    pub last_reflection: Option<String>,
    /// The highest session number written about.
    pub last_session_number: Option<u32>,
}

/// The case form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseInput {
    pub code: String,
    pub modality: String,
    pub frequency: String,
    pub start_date: String,
    pub planned_sessions: String,
    /// One name per line (commas also separate).
    pub names_to_watch: String,
}

impl CaseInput {
    /// The form filled with a case's current details, for editing.
    pub fn from_details(details: &CaseDetails) -> Self {
        CaseInput {
            code: details.code.clone(),
            modality: details.modality.slug().to_string(),
            frequency: details.frequency.slug().to_string(),
            start_date: details.start_date.clone(),
            planned_sessions: details
                .planned_sessions
                .map(|n| n.to_string())
                .unwrap_or_default(),
            names_to_watch: details.names_to_watch.join("\n"),
        }
    }

    /// The code as typed, or nothing when it contains one of the names typed
    /// to watch: what a failed form without JavaScript may carry back in
    /// the address.
    pub fn code_safe_to_carry(&self) -> &str {
        let names: Vec<String> = split_names(&self.names_to_watch)
            .map(str::to_string)
            .collect();
        if mentions_a_watched_name(&self.code, &names) {
            ""
        } else {
            &self.code
        }
    }

    /// Checks every field and reports each problem at its field.
    pub fn validate(&self) -> Result<CaseDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let names_to_watch = errors.check("names_to_watch", parse_names(&self.names_to_watch));
        let code = errors.check(
            "code",
            check_code(&self.code, names_to_watch.as_deref().unwrap_or(&[])),
        );
        let modality = errors.check(
            "modality",
            Modality::parse(&self.modality).ok_or("Choose the modality of the work."),
        );
        let frequency = errors.check(
            "frequency",
            SessionFrequency::parse(&self.frequency).ok_or("Choose how often you meet."),
        );
        let start_date = errors.check(
            "start_date",
            parse_iso_date(self.start_date.trim())
                .map(|_| self.start_date.trim().to_string())
                .ok_or("Enter the start date as a real date, for example 2026-09-14."),
        );
        let planned_sessions =
            errors.check("planned_sessions", parse_planned(&self.planned_sessions));
        errors.into_result()?;
        match (
            code,
            modality,
            frequency,
            start_date,
            planned_sessions,
            names_to_watch,
        ) {
            (
                Some(code),
                Some(modality),
                Some(frequency),
                Some(start_date),
                Some(planned_sessions),
                Some(names_to_watch),
            ) => Ok(CaseDetails {
                code,
                modality,
                frequency,
                start_date,
                planned_sessions,
                names_to_watch,
            }),
            _ => unreachable!("every missing value recorded an error"),
        }
    }
}

fn check_code(code: &str, names_to_watch: &[String]) -> Result<String, String> {
    let code = code.trim();
    let length = code.chars().count();
    if length == 0 {
        return Err("Enter a code for the case, for example C-07.".to_string());
    }
    if length > CODE_MAX_CHARS {
        return Err(format!(
            "Use at most {CODE_MAX_CHARS} characters (this has {length})."
        ));
    }
    if has_hidden_characters(code) {
        return Err(
            "The code contains invisible characters (such as a zero-width space); type it again."
                .to_string(),
        );
    }
    // The message never quotes the name: without JavaScript it travels back
    // to the form in the address.
    if mentions_a_watched_name(code, names_to_watch) {
        return Err(
            "The code contains one of the names you listed to watch. Choose a code that does not identify the client."
                .to_string(),
        );
    }
    Ok(normalized(code))
}

/// Whether `text` contains one of the names to watch, ignoring letter case
/// and how accented letters were typed.
pub fn mentions_a_watched_name(text: &str, names_to_watch: &[String]) -> bool {
    let folded = normalized(&text.to_lowercase());
    names_to_watch
        .iter()
        .any(|name| folded.contains(&normalized(&name.to_lowercase())))
}

fn parse_planned(text: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(n) if (1..=PLANNED_SESSIONS_MAX).contains(&n) => Ok(Some(n)),
        _ => Err(format!(
            "Enter a whole number of sessions from 1 to {PLANNED_SESSIONS_MAX}, or leave it empty."
        )),
    }
}

/// Names separated by new lines or commas; blanks dropped, duplicates
/// (ignoring case) kept once.
/// The names typed into the names-to-watch field, one per line or comma.
fn split_names(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

fn parse_names(text: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    for name in split_names(text) {
        let length = name.chars().count();
        // Messages never quote a name (see `check_code`).
        if length > NAME_TO_WATCH_MAX_CHARS {
            return Err(format!(
                "One of the names is longer than {NAME_TO_WATCH_MAX_CHARS} characters; put one name per line."
            ));
        }
        if length < 2 {
            return Err(
                "One of the names has a single letter, too short to look for; list names of two letters or more."
                    .to_string(),
            );
        }
        if has_hidden_characters(name) {
            return Err(
                "One of the names contains invisible characters (such as a zero-width space); type it again."
                    .to_string(),
            );
        }
        let name = normalized(name);
        if !names
            .iter()
            .any(|known| known.to_lowercase() == name.to_lowercase())
        {
            names.push(name);
        }
    }
    if names.len() > NAMES_TO_WATCH_MAX {
        return Err(format!("List at most {NAMES_TO_WATCH_MAX} names."));
    }
    Ok(names)
}

/// Deleting a case needs its code typed again (surrounding spaces and case
/// do not matter).
pub fn confirms_deletion(code: &str, typed: &str) -> bool {
    !typed.trim().is_empty() && typed.trim().to_lowercase() == code.to_lowercase()
}

/// The transference threshold of a new case.
pub const TRANSFERENCE_THRESHOLD_DEFAULT: u32 = 3;
pub const TRANSFERENCE_THRESHOLD_MAX: u32 = 20;

/// The transference threshold as typed: a whole number from 0 (flag any
/// transference interpretation) to [`TRANSFERENCE_THRESHOLD_MAX`].
pub fn transference_threshold(typed: &str) -> Result<u32, String> {
    typed
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|threshold| *threshold <= TRANSFERENCE_THRESHOLD_MAX)
        .ok_or_else(|| format!("Enter a whole number from 0 to {TRANSFERENCE_THRESHOLD_MAX}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_input() -> CaseInput {
        CaseInput {
            code: " C-07 ".to_string(),
            modality: "short_term_psychodynamic".to_string(),
            frequency: "weekly".to_string(),
            start_date: "2026-09-14".to_string(),
            planned_sessions: "16".to_string(),
            names_to_watch: "Maria\nTomás, maria\n\n".to_string(),
        }
    }

    #[test]
    fn the_transference_threshold_is_a_whole_number_up_to_the_maximum() {
        assert_eq!(transference_threshold("0"), Ok(0));
        assert_eq!(transference_threshold(" 3 "), Ok(3));
        assert_eq!(transference_threshold("20"), Ok(TRANSFERENCE_THRESHOLD_MAX));
        for typed in ["21", "-1", "2.5", "", "three"] {
            assert!(
                transference_threshold(typed)
                    .unwrap_err()
                    .contains("from 0 to 20"),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn a_complete_case_is_accepted_and_tidied() {
        let details = valid_input().validate().unwrap();
        assert_eq!(details.code, "C-07");
        assert_eq!(details.modality, Modality::ShortTermPsychodynamic);
        assert_eq!(details.frequency, SessionFrequency::Weekly);
        assert_eq!(details.planned_sessions, Some(16));
        assert_eq!(details.names_to_watch, ["Maria", "Tomás"]);
    }

    #[test]
    fn planned_sessions_are_optional() {
        let input = CaseInput {
            planned_sessions: "  ".to_string(),
            ..valid_input()
        };
        assert_eq!(input.validate().unwrap().planned_sessions, None);
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let input = CaseInput {
            code: String::new(),
            modality: "cbt".to_string(),
            frequency: String::new(),
            start_date: "2026-02-30".to_string(),
            planned_sessions: "0".to_string(),
            names_to_watch: "A".to_string(),
        };
        let errors = input.validate().unwrap_err();
        for field in [
            "code",
            "modality",
            "frequency",
            "start_date",
            "planned_sessions",
            "names_to_watch",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn codes_are_1_to_40_characters_counted_as_characters() {
        let forty = "é".repeat(40);
        assert_eq!(check_code(&forty, &[]), Ok(forty.clone()));
        let error = check_code(&"é".repeat(41), &[]).unwrap_err();
        assert!(error.contains("41"), "{error}");
        assert!(check_code("   ", &[]).is_err());
        assert!(check_code("a\u{0}b", &[]).is_err());
    }

    #[test]
    fn a_code_may_not_contain_a_name_to_watch() {
        let names = vec!["Maria".to_string()];
        let error = check_code("maria-1", &names).unwrap_err();
        assert!(error.contains("one of the names you listed"), "{error}");
        assert!(
            !error.to_lowercase().contains("maria"),
            "never quoted: {error}"
        );
        assert!(check_code("M-1", &names).is_ok());
    }

    #[test]
    fn hidden_characters_are_refused_and_accents_compared_as_read() {
        let names = vec!["Zoë".to_string()];
        assert!(check_code("C-\u{200B}07", &names).is_err());
        assert!(check_code("C-\u{202E}70", &names).is_err());
        assert_eq!(check_code("e\u{0301}-07", &names).unwrap(), "é-07");
        // A watched name typed with a combining accent is still found.
        assert!(check_code("zoe\u{0308}-1", &names).is_err());
        assert!(mentions_a_watched_name("ZOË", &["zoe\u{0308}".to_string()]));
        assert!(parse_names("Mar\u{200D}guerite").is_err());
        assert_eq!(parse_names("Zoe\u{0308}\nzoë").unwrap(), ["Zoë"]);
    }

    #[test]
    fn a_code_with_a_watched_name_is_not_carried_back() {
        let typed = |code: &str| CaseInput {
            code: code.to_string(),
            names_to_watch: "Odile, Vasseur\nMaria".to_string(),
            ..CaseInput::default()
        };
        assert_eq!(typed("C-07").code_safe_to_carry(), "C-07");
        assert_eq!(typed("vasseur-2").code_safe_to_carry(), "");
        assert_eq!(typed("MARIA").code_safe_to_carry(), "");
    }

    #[test]
    fn messages_about_names_never_quote_them() {
        for typed in ["Q", &"Wiltshire".repeat(7)] {
            let error = parse_names(typed).unwrap_err();
            assert!(!error.contains(typed), "{error}");
            assert!(!error.contains("Wiltshire"), "{error}");
        }
    }

    #[test]
    fn planned_sessions_must_be_a_sensible_whole_number() {
        assert_eq!(parse_planned("24"), Ok(Some(24)));
        assert_eq!(parse_planned("2000"), Ok(Some(2000)));
        for bad in ["0", "-3", "2001", "12.5", "twelve"] {
            assert!(parse_planned(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_bounded_in_length_and_number() {
        assert!(parse_names(&"x".repeat(61)).is_err());
        let many: Vec<String> = (0..51).map(|i| format!("Name{i}")).collect();
        assert!(parse_names(&many.join("\n")).is_err());
        assert_eq!(parse_names("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn editing_starts_from_the_stored_details() {
        let details = valid_input().validate().unwrap();
        assert_eq!(CaseInput::from_details(&details).validate(), Ok(details));
    }

    #[test]
    fn deletion_needs_the_code_typed_again() {
        assert!(confirms_deletion("C-07", "c-07 "));
        assert!(!confirms_deletion("C-07", "C-08"));
        assert!(!confirms_deletion("C-07", ""));
    }
}
