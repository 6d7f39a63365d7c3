//! Checking a typed meeting: every problem reported at its field, action
//! items by their position (`action_items.2.text`), as reflection rows are.

use super::{
    action_items::action_items, bounded_text, MeetingDetails, MeetingFormat, MeetingInput,
    MeetingRules, SharedCase, DATE_LEEWAY_DAYS, DURATION_MAX_MINUTES, DURATION_MIN_MINUTES,
    GROUP_MAX_SUPERVISEES, NOTES_MAX_CHARS,
};
use crate::domain::{
    accounts::UserId, cases::CaseId, time::parse_iso_date, validation::FieldErrors,
};

impl MeetingInput {
    /// Checks every field. Action item rows with no text are left out (an
    /// unused row of the form, or an item cleared to remove it).
    pub fn validate(&self, rules: &MeetingRules) -> Result<MeetingDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let day = errors.check("date", meeting_day(&self.date, rules.today));
        let duration_minutes = errors.check("duration", duration(&self.duration));
        let format = errors.check(
            "format",
            MeetingFormat::parse(self.format.trim())
                .ok_or("Choose the format: individual or group supervision."),
        );
        let supervisees = errors.check(
            "supervisees",
            chosen_supervisees(&self.supervisees, rules.supervisees),
        );
        if let (Some(format), Some(chosen)) = (format, &supervisees) {
            errors.check("supervisees", group_size(format, chosen.len()));
        }
        let cases = supervisees.as_ref().and_then(|chosen| {
            errors.check(
                "cases",
                discussed_cases(&self.cases, chosen, rules.shared_cases),
            )
        });
        let notes = errors.check(
            "notes",
            bounded_text(&self.notes, NOTES_MAX_CHARS, "meeting notes"),
        );
        let action_items = action_items(
            &mut errors,
            &self.action_items,
            supervisees.as_deref().unwrap_or_default(),
        );
        match (day, duration_minutes, format, supervisees, cases, notes) {
            (
                Some(day),
                Some(duration_minutes),
                Some(format),
                Some(supervisees),
                Some(cases),
                Some(notes),
            ) if errors.is_empty() => Ok(MeetingDetails {
                day,
                duration_minutes,
                format,
                supervisees,
                cases,
                notes,
                action_items,
            }),
            _ => Err(errors),
        }
    }
}

fn meeting_day(text: &str, today: i64) -> Result<i64, String> {
    let Some(day) = parse_iso_date(text.trim()) else {
        return Err("Enter the date of the meeting as a real date, for example 2026-11-20.".into());
    };
    if day > today + DATE_LEEWAY_DAYS {
        return Err(
            "The meeting date is in the future; record a meeting once it has taken place.".into(),
        );
    }
    Ok(day)
}

fn duration(text: &str) -> Result<u16, String> {
    match text.trim().parse::<u16>() {
        Ok(minutes) if (DURATION_MIN_MINUTES..=DURATION_MAX_MINUTES).contains(&minutes) => {
            Ok(minutes)
        }
        _ => Err(format!(
            "Enter the duration in minutes, from {DURATION_MIN_MINUTES} to {DURATION_MAX_MINUTES}."
        )),
    }
}

/// The supervisees ticked, each once and sorted; every one must be among
/// `allowed`.
fn chosen_supervisees(typed: &[String], allowed: &[UserId]) -> Result<Vec<UserId>, String> {
    let mut chosen = Vec::new();
    for text in typed.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        match text.parse().map(UserId) {
            Ok(user) if allowed.contains(&user) => chosen.push(user),
            _ => {
                return Err(
                    "One of the people chosen is not one of your supervisees; choose again.".into(),
                )
            }
        }
    }
    chosen.sort_by_key(|user| user.0);
    chosen.dedup();
    if chosen.is_empty() {
        return Err("Choose who took part in the meeting.".into());
    }
    Ok(chosen)
}

/// Individual supervision is with exactly one supervisee; a group has at
/// least two (one person is individual supervision, whatever it is called).
fn group_size(format: MeetingFormat, supervisees: usize) -> Result<(), String> {
    match format {
        MeetingFormat::Individual if supervisees > 1 => Err(
            "An individual meeting is with one supervisee; choose one, or record a group meeting."
                .into(),
        ),
        MeetingFormat::Group if supervisees < 2 => Err(
            "A group meeting has at least two supervisees; choose more, or record an individual meeting."
                .into(),
        ),
        MeetingFormat::Group if supervisees > GROUP_MAX_SUPERVISEES => Err(format!(
            "A group meeting can have at most {GROUP_MAX_SUPERVISEES} supervisees."
        )),
        _ => Ok(()),
    }
}

/// The cases ticked, each once and sorted; each must have been shared with
/// the supervisor by one of the meeting's supervisees.
fn discussed_cases(
    typed: &[String],
    supervisees: &[UserId],
    shared: &[SharedCase],
) -> Result<Vec<CaseId>, String> {
    let mut cases = Vec::new();
    for text in typed.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        let case = text.parse().ok().map(CaseId).filter(|&case| {
            shared
                .iter()
                .any(|share| share.case == case && supervisees.contains(&share.supervisee))
        });
        match case {
            Some(case) => cases.push(case),
            None => {
                return Err("One of the cases was not shared with you by a supervisee in this meeting; choose again.".into())
            }
        }
    }
    cases.sort_by_key(|case| case.0);
    cases.dedup();
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::meetings::{ActionItem, ActionItemId, ActionItemInput, Assignee};

    const TODAY: &str = "2026-11-29";
    const SUPERVISEES: &[UserId] = &[UserId(10), UserId(11), UserId(12)];
    /// Cases 100 and 101 are supervisee 10's, 110 is 11's, 120 is 12's.
    const SHARED: &[SharedCase] = &[
        shared(100, 10),
        shared(101, 10),
        shared(110, 11),
        shared(120, 12),
    ];

    const fn shared(case: i64, supervisee: i64) -> SharedCase {
        SharedCase {
            case: CaseId(case),
            supervisee: UserId(supervisee),
        }
    }

    fn today() -> i64 {
        parse_iso_date(TODAY).unwrap()
    }

    fn rules() -> MeetingRules<'static> {
        MeetingRules {
            today: today(),
            supervisees: SUPERVISEES,
            shared_cases: SHARED,
        }
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| value.to_string()).collect()
    }

    fn item(id: &str, text: &str, assignee: &str, done: &str) -> ActionItemInput {
        ActionItemInput {
            id: id.to_string(),
            text: text.to_string(),
            assignee: assignee.to_string(),
            done: done.to_string(),
        }
    }

    /// An individual meeting with supervisee 10, two days ago.
    fn input() -> MeetingInput {
        MeetingInput {
            date: " 2026-11-27 ".to_string(),
            duration: " 50 ".to_string(),
            format: "individual".to_string(),
            supervisees: strings(&["10", ""]),
            cases: strings(&["101", "100", "101"]),
            notes: "  Talked about the missed session.  ".to_string(),
            action_items: vec![
                item("", "Read Racker, chapter 6", "supervisee:10", ""),
                item("", "  ", "supervisor", ""),
                item("7", "Send the article", "supervisor", "on"),
            ],
            ..MeetingInput::default()
        }
    }

    /// `input()` changed by `change`, validated.
    fn validated(change: impl FnOnce(&mut MeetingInput)) -> Result<MeetingDetails, FieldErrors> {
        let mut typed = input();
        change(&mut typed);
        typed.validate(&rules())
    }

    /// The message at `field` once `change` is made to `input()`.
    fn error(field: &str, change: impl FnOnce(&mut MeetingInput)) -> Option<String> {
        validated(change).unwrap_err().get(field).map(String::from)
    }

    #[test]
    fn a_complete_individual_meeting_is_accepted_and_tidied() {
        let details = input().validate(&rules()).unwrap();
        assert_eq!(details.date(), "2026-11-27");
        assert_eq!(details.day, today() - 2);
        assert_eq!(details.duration_minutes, 50);
        assert_eq!(details.format, MeetingFormat::Individual);
        assert_eq!(details.supervisees, [UserId(10)]);
        assert_eq!(details.cases, [CaseId(100), CaseId(101)]);
        assert_eq!(details.notes, "Talked about the missed session.");
        assert_eq!(
            details.action_items,
            [
                ActionItem {
                    id: None,
                    text: "Read Racker, chapter 6".to_string(),
                    assignee: Assignee::Supervisee(UserId(10)),
                    done: false,
                },
                ActionItem {
                    id: Some(ActionItemId(7)),
                    text: "Send the article".to_string(),
                    assignee: Assignee::Supervisor,
                    done: true,
                },
            ]
        );
    }

    #[test]
    fn the_edit_form_carries_exactly_the_record() {
        let details = input().validate(&rules()).unwrap();
        let again = MeetingInput::from_details(&details).validate(&rules());
        assert_eq!(again, Ok(details));
    }

    #[test]
    fn the_date_is_a_real_date_not_in_the_future() {
        for bad in ["", "2026-02-30", "29/11/2026", "tomorrow"] {
            assert_eq!(
                error("date", |typed| typed.date = bad.to_string()).as_deref(),
                Some("Enter the date of the meeting as a real date, for example 2026-11-20."),
                "{bad}"
            );
        }
        let on = |date: &str| validated(|typed| typed.date = date.to_string());
        assert_eq!(on(TODAY).unwrap().day, today());
        // East of UTC it may already be tomorrow.
        assert_eq!(on("2026-11-30").unwrap().day, today() + 1);
        assert_eq!(
            error("date", |typed| typed.date = "2026-12-01".to_string()).as_deref(),
            Some("The meeting date is in the future; record a meeting once it has taken place.")
        );
        assert!(on("1999-01-01").is_ok());
    }

    #[test]
    fn the_duration_is_whole_minutes_from_5_to_480() {
        for bad in ["", "4", "481", "0", "-5", "50.5", "1:30", "fifty", "65536"] {
            assert_eq!(
                error("duration", |typed| typed.duration = bad.to_string()).as_deref(),
                Some("Enter the duration in minutes, from 5 to 480."),
                "{bad}"
            );
        }
        for (good, minutes) in [("5", 5), ("480", 480), ("090", 90)] {
            let details = validated(|typed| typed.duration = good.to_string()).unwrap();
            assert_eq!(details.duration_minutes, minutes);
        }
    }

    #[test]
    fn the_format_is_individual_or_group() {
        for bad in ["", "Group", "pair"] {
            assert_eq!(
                error("format", |typed| typed.format = bad.to_string()).as_deref(),
                Some("Choose the format: individual or group supervision."),
                "{bad}"
            );
        }
    }

    /// A meeting of `format` with the supervisees `ids`, discussing no case.
    fn with(format: &str, ids: &[&str]) -> impl FnOnce(&mut MeetingInput) {
        let (format, ids) = (format.to_string(), strings(ids));
        move |typed| {
            typed.format = format;
            typed.supervisees = ids;
            typed.cases.clear();
            typed.action_items.clear();
        }
    }

    #[test]
    fn supervisees_are_chosen_among_ones_own_and_fit_the_format() {
        let message = |format, ids| error("supervisees", with(format, ids));
        let stranger = "One of the people chosen is not one of your supervisees; choose again.";
        let too_few = "A group meeting has at least two supervisees; choose more, or record an individual meeting.";
        assert_eq!(
            message("individual", &["", " "]).as_deref(),
            Some("Choose who took part in the meeting.")
        );
        assert_eq!(message("individual", &["13"]).as_deref(), Some(stranger));
        assert_eq!(message("group", &["10", "ten"]).as_deref(), Some(stranger));
        assert_eq!(
            message("individual", &["10", "11"]).as_deref(),
            Some("An individual meeting is with one supervisee; choose one, or record a group meeting.")
        );
        assert_eq!(message("group", &["10"]).as_deref(), Some(too_few));
        // The same person ticked twice is one person.
        assert_eq!(message("group", &["10", "10"]).as_deref(), Some(too_few));
        let one = validated(with("individual", &["10", " 10 "])).unwrap();
        assert_eq!(one.supervisees, [UserId(10)]);
        let group = validated(with("group", &["12", "10"])).unwrap();
        assert_eq!(group.supervisees, [UserId(10), UserId(12)]);
    }

    #[test]
    fn a_group_has_at_most_twenty_supervisees() {
        let everyone: Vec<UserId> = (1..=21).map(UserId).collect();
        let rules = MeetingRules {
            supervisees: &everyone,
            ..rules()
        };
        let ids: Vec<String> = (1..=21).map(|id: i64| id.to_string()).collect();
        let mut typed = input();
        with("group", &[])(&mut typed);
        typed.supervisees = ids[..20].to_vec();
        assert!(typed.validate(&rules).is_ok());
        typed.supervisees = ids;
        assert_eq!(
            typed.validate(&rules).unwrap_err().get("supervisees"),
            Some("A group meeting can have at most 20 supervisees.")
        );
    }

    #[test]
    fn only_cases_shared_by_the_meetings_supervisees_can_be_discussed() {
        // Case 110 is supervisee 11's, who is not in this meeting.
        for bad in [&["100", "110"][..], &["999"], &["case"]] {
            assert_eq!(
                error("cases", |typed| typed.cases = strings(bad)).as_deref(),
                Some("One of the cases was not shared with you by a supervisee in this meeting; choose again."),
                "{bad:?}"
            );
        }
        let group = validated(|typed| {
            with("group", &["10", "11"])(typed);
            typed.cases = strings(&["110", "100"]);
        });
        assert_eq!(group.unwrap().cases, [CaseId(100), CaseId(110)]);
        let none = validated(|typed| typed.cases.clear());
        assert!(none.unwrap().cases.is_empty());
    }

    #[test]
    fn cases_are_not_blamed_for_a_wrong_choice_of_supervisees() {
        let errors = validated(|typed| typed.supervisees = strings(&["13"])).unwrap_err();
        assert!(errors.get("supervisees").is_some());
        assert_eq!(errors.get("cases"), None);
    }

    #[test]
    fn notes_have_a_limit() {
        assert_eq!(
            error("notes", |typed| typed.notes =
                "n".repeat(NOTES_MAX_CHARS + 1))
            .as_deref(),
            Some("This is 20001 characters; meeting notes can hold 20000. Shorten it.")
        );
        assert!(validated(|typed| typed.notes = "é".repeat(NOTES_MAX_CHARS)).is_ok());
    }

    #[test]
    fn action_item_problems_are_reported_at_their_row() {
        // Row 1 is blank and left out; row 2 names supervisee 11, not in
        // this meeting.
        let error = error("action_items.2.assignee", |typed| {
            typed.action_items[2].assignee = "supervisee:11".to_string();
        });
        assert_eq!(
            error.as_deref(),
            Some("Choose who will do this: you or a supervisee in this meeting.")
        );
    }

    #[test]
    fn an_empty_form_reports_every_required_field_at_once() {
        let errors = MeetingInput::default().validate(&rules()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["date", "duration", "format", "supervisees"]);
    }
}
