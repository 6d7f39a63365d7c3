//! Checking a typed reflection: every problem reported at its field.

use super::{
    Choices, Episode, EpisodeInput, Intervention, InterventionInput, Reaction, ReactionInput,
    Reflection, ReflectionInput, RowId, RowKind, Timing, MINUTE_MAX, NOTE_MAX_CHARS, ROWS_MAX,
    ROW_TEXT_MAX_CHARS, SESSION_NUMBER_MAX,
};
use crate::domain::{
    time::parse_iso_date,
    validation::FieldErrors,
    vocabulary::{
        ClientResponse, EpisodeWhen, EpisodeWith, HayesManagement, HayesManifestation, HayesOrigin,
        HayesTrigger, InterventionKind, RackerIdentification, ReactionDimension, ResponseOfOther,
        ResponseOfSelf, SessionPhase, TargetPerson, Wish,
    },
};

/// What a reflection is checked against besides its own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReflectionRules {
    /// Today, in days since 1970-01-01 (UTC). A session may be dated at
    /// most one day ahead, for therapists east of UTC.
    pub today: i64,
    /// The case's start date, in days since 1970-01-01.
    pub case_start: i64,
}

impl ReflectionInput {
    /// Checks every field; each problem is reported at its field, rows by
    /// their position (`reactions.2.intensity`). Rows left completely empty
    /// are dropped, so an unused starting row is no error.
    pub fn validate(&self, rules: ReflectionRules) -> Result<Reflection, FieldErrors> {
        let mut errors = FieldErrors::new();
        let session_number = errors.check("session_number", session_number(&self.session_number));
        let session_date = errors.check("session_date", session_date(&self.session_date, rules));

        let reactions = rows(
            &mut errors,
            RowKind::Reaction,
            &self.reactions,
            |row, field| row.validate(field),
        );
        let interventions = rows(
            &mut errors,
            RowKind::Intervention,
            &self.interventions,
            |row, field| row.validate(field),
        );
        let episodes = rows(
            &mut errors,
            RowKind::Episode,
            &self.episodes,
            |row, field| row.validate(field),
        );

        let trigger = choices(
            &mut errors,
            "trigger",
            &self.trigger,
            &self.trigger_note,
            HayesTrigger::parse,
        );
        let manifestation = choices(
            &mut errors,
            "manifestation",
            &self.manifestation,
            &self.manifestation_note,
            HayesManifestation::parse,
        );
        let management = choices(
            &mut errors,
            "management",
            &self.management,
            &self.management_note,
            HayesManagement::parse,
        );
        let origin = choices(
            &mut errors,
            "origin",
            &self.origin,
            &self.origin_note,
            HayesOrigin::parse,
        );

        let racker = match self.racker.trim() {
            "" => None,
            slug => errors.check(
                "racker",
                RackerIdentification::parse(slug)
                    .map(Some)
                    .ok_or("Choose concordant, complementary or unclear."),
            ),
        }
        .flatten();
        let racker_object = self.racker_object.trim().to_string();
        if racker == Some(RackerIdentification::Complementary) && racker_object.is_empty() {
            errors.add(
                "racker_object",
                "Name the internal object you identified with (for example: the critical mother).",
            );
        }
        errors.check("racker_object", text(&racker_object, ROW_TEXT_MAX_CHARS));
        let racker_note = errors.check("racker_note", text(&self.racker_note, NOTE_MAX_CHARS));
        let enactment = errors.check("enactment", text(&self.enactment, NOTE_MAX_CHARS));
        let private_notes =
            errors.check("private_notes", text(&self.private_notes, NOTE_MAX_CHARS));

        errors.into_result()?;
        let missing = "every missing value recorded an error";
        Ok(Reflection {
            session_number: session_number.expect(missing),
            session_date: session_date.expect(missing),
            reactions,
            trigger: trigger.expect(missing),
            manifestation: manifestation.expect(missing),
            management: management.expect(missing),
            origin: origin.expect(missing),
            racker,
            racker_object,
            racker_note: racker_note.expect(missing),
            enactment: enactment.expect(missing),
            interventions,
            episodes,
            private_notes: private_notes.expect(missing),
        })
    }
}

impl BlankRow for ReactionInput {
    fn is_blank(&self) -> bool {
        [&self.dimension, &self.intensity, &self.text]
            .iter()
            .all(|value| value.trim().is_empty())
    }
}

impl ReactionInput {
    fn validate(&self, field: impl Fn(&str) -> String) -> Result<Reaction, FieldErrors> {
        let mut errors = FieldErrors::new();
        let dimension = errors.check(
            &field("dimension"),
            ReactionDimension::parse(&self.dimension).ok_or("Choose what you felt."),
        );
        let intensity = errors.check(
            &field("intensity"),
            scale(&self.intensity, "Choose an intensity from 1 to 5."),
        );
        let text = errors.check(&field("text"), text(&self.text, ROW_TEXT_MAX_CHARS));
        errors.into_result()?;
        Ok(Reaction {
            id: stored_row(&self.id),
            dimension: dimension.expect("checked"),
            intensity: intensity.expect("checked"),
            text: text.expect("checked"),
        })
    }
}

impl BlankRow for InterventionInput {
    fn is_blank(&self) -> bool {
        [
            &self.kind,
            &self.minute,
            &self.phase,
            &self.depth,
            &self.target,
            &self.response,
            &self.text,
        ]
        .iter()
        .all(|value| value.trim().is_empty())
    }
}

impl InterventionInput {
    fn validate(&self, field: impl Fn(&str) -> String) -> Result<Intervention, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check(
            &field("kind"),
            InterventionKind::parse(&self.kind).ok_or("Choose the kind of intervention."),
        );
        let timing = errors.check(&field("minute"), timing(&self.minute, &self.phase));
        let depth = errors.check(
            &field("depth"),
            scale(
                &self.depth,
                "Choose a depth from 1 (close to what the client says) to 5.",
            ),
        );
        let target = errors.check(
            &field("target"),
            optional_choice(
                &self.target,
                TargetPerson::parse,
                "Choose whom it was about.",
            ),
        );
        let response = errors.check(
            &field("response"),
            optional_choice(
                &self.response,
                ClientResponse::parse,
                "Choose how the client responded.",
            ),
        );
        let text = errors.check(&field("text"), text(&self.text, ROW_TEXT_MAX_CHARS));
        errors.into_result()?;
        Ok(Intervention {
            id: stored_row(&self.id),
            kind: kind.expect("checked"),
            timing: timing.expect("checked"),
            depth: depth.expect("checked"),
            target: target.expect("checked"),
            response: response.expect("checked"),
            text: text.expect("checked"),
        })
    }
}

impl BlankRow for EpisodeInput {
    fn is_blank(&self) -> bool {
        [
            &self.with_whom,
            &self.when,
            &self.wish,
            &self.wish_text,
            &self.response_of_other,
            &self.response_of_other_text,
            &self.response_of_self,
            &self.response_of_self_text,
        ]
        .iter()
        .all(|value| value.trim().is_empty())
    }
}

impl EpisodeInput {
    fn validate(&self, field: impl Fn(&str) -> String) -> Result<Episode, FieldErrors> {
        let mut errors = FieldErrors::new();
        let with_whom = errors.check(
            &field("with_whom"),
            EpisodeWith::parse(&self.with_whom).ok_or(
                "Choose with whom it happened: the therapist, a current other or a past figure.",
            ),
        );
        let when = errors.check(
            &field("when"),
            optional_choice(
                &self.when,
                EpisodeWhen::parse,
                "Choose when it happened: in the session, recently or long ago, or leave it empty.",
            ),
        );
        let pick = "Choose one of the clusters or leave it empty.";
        let wish = errors.check(
            &field("wish"),
            optional_choice(&self.wish, Wish::parse, pick),
        );
        let response_of_other = errors.check(
            &field("response_of_other"),
            optional_choice(&self.response_of_other, ResponseOfOther::parse, pick),
        );
        let response_of_self = errors.check(
            &field("response_of_self"),
            optional_choice(&self.response_of_self, ResponseOfSelf::parse, pick),
        );
        let wish_text = errors.check(
            &field("wish_text"),
            text(&self.wish_text, ROW_TEXT_MAX_CHARS),
        );
        let response_of_other_text = errors.check(
            &field("response_of_other_text"),
            text(&self.response_of_other_text, ROW_TEXT_MAX_CHARS),
        );
        let response_of_self_text = errors.check(
            &field("response_of_self_text"),
            text(&self.response_of_self_text, ROW_TEXT_MAX_CHARS),
        );
        let components = [
            self.wish.trim(),
            self.wish_text.trim(),
            self.response_of_other.trim(),
            self.response_of_other_text.trim(),
            self.response_of_self.trim(),
            self.response_of_self_text.trim(),
        ];
        if components.iter().all(|value| value.is_empty()) {
            errors.add(
                &field("wish"),
                "Describe at least one of the wish, the response of the other or the response of self.",
            );
        }
        errors.into_result()?;
        Ok(Episode {
            id: stored_row(&self.id),
            with_whom: with_whom.expect("checked"),
            when: when.expect("checked"),
            wish: wish.expect("checked"),
            wish_text: wish_text.expect("checked"),
            response_of_other: response_of_other.expect("checked"),
            response_of_other_text: response_of_other_text.expect("checked"),
            response_of_self: response_of_self.expect("checked"),
            response_of_self_text: response_of_self_text.expect("checked"),
        })
    }
}

/// The error key of a row's field: `reactions.2.intensity`.
pub fn row_field(kind: RowKind, index: usize, field: &str) -> String {
    format!("{}.{index}.{field}", kind.slug())
}

/// Validates the non-blank rows of one kind, recording errors under each
/// row's position.
fn rows<I, T>(
    errors: &mut FieldErrors,
    kind: RowKind,
    inputs: &[I],
    validate: impl Fn(&I, &dyn Fn(&str) -> String) -> Result<T, FieldErrors>,
) -> Vec<T>
where
    I: BlankRow,
{
    if inputs.len() > ROWS_MAX {
        errors.add(
            kind.slug(),
            format!("A reflection can hold at most {ROWS_MAX} of these."),
        );
    }
    let mut valid = Vec::new();
    for (index, input) in inputs.iter().enumerate().take(ROWS_MAX) {
        if input.is_blank() {
            continue;
        }
        match validate(input, &|field| row_field(kind, index, field)) {
            Ok(row) => valid.push(row),
            Err(row_errors) => {
                for (field, message) in row_errors.iter() {
                    errors.add(field, message);
                }
            }
        }
    }
    valid
}

/// A row the therapist left completely empty.
trait BlankRow {
    fn is_blank(&self) -> bool;
}

fn choices<T: PartialEq>(
    errors: &mut FieldErrors,
    field: &str,
    slugs: &[String],
    note: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<Choices<T>> {
    let mut picked = Vec::new();
    for slug in slugs
        .iter()
        .map(|slug| slug.trim())
        .filter(|slug| !slug.is_empty())
    {
        match parse(slug) {
            Some(choice) if !picked.contains(&choice) => picked.push(choice),
            Some(_) => {}
            None => errors.add(field, "One of the choices is not on the list; pick again."),
        }
    }
    let note = errors.check(&format!("{field}_note"), text(note, NOTE_MAX_CHARS))?;
    Some(Choices { picked, note })
}

fn session_number(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(number) if (1..=SESSION_NUMBER_MAX).contains(&number) => Ok(number),
        _ => Err(format!(
            "Enter the session number as a whole number from 1 to {SESSION_NUMBER_MAX}."
        )),
    }
}

fn session_date(text: &str, rules: ReflectionRules) -> Result<String, String> {
    let text = text.trim();
    let Some(day) = parse_iso_date(text) else {
        return Err("Enter the session date as a real date, for example 2026-11-20.".to_string());
    };
    if day > rules.today + 1 {
        return Err("The session date is in the future.".to_string());
    }
    if day < rules.case_start {
        return Err("The session date is before the case started.".to_string());
    }
    Ok(text.to_string())
}

/// The id a row was stored under, from its hidden field. Anything else
/// (empty, or not a number) makes it a new row: ids are checked against the
/// reflection when it is saved.
fn stored_row(id: &str) -> Option<RowId> {
    id.trim().parse().ok().map(RowId)
}

/// A 1–5 rating.
fn scale(text: &str, message: &'static str) -> Result<u8, &'static str> {
    match text.trim().parse::<u8>() {
        Ok(value) if (1..=5).contains(&value) => Ok(value),
        _ => Err(message),
    }
}

fn timing(minute: &str, phase: &str) -> Result<Timing, String> {
    match (minute.trim(), phase.trim()) {
        ("", "") => Err(format!(
            "Give the minute (0–{MINUTE_MAX}) or choose early, middle or late."
        )),
        (minute, "") => match minute.parse::<u8>() {
            Ok(minute) if minute <= MINUTE_MAX => Ok(Timing::Minute(minute)),
            _ => Err(format!(
                "Enter the minute as a whole number from 0 to {MINUTE_MAX}."
            )),
        },
        ("", phase) => SessionPhase::parse(phase)
            .map(Timing::Phase)
            .ok_or_else(|| "Choose early, middle or late.".to_string()),
        _ => Err("Give either the minute or the phase, not both.".to_string()),
    }
}

fn optional_choice<T>(
    slug: &str,
    parse: fn(&str) -> Option<T>,
    message: &'static str,
) -> Result<Option<T>, &'static str> {
    match slug.trim() {
        "" => Ok(None),
        slug => parse(slug).map(Some).ok_or(message),
    }
}

/// Free text as typed (surrounding white space removed), at most `max` characters.
fn text(value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    let length = value.chars().count();
    if length > max {
        return Err(format!(
            "This is {length} characters; the limit is {max}. Shorten it or move part of it elsewhere."
        ));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_iso_date;

    fn rules() -> ReflectionRules {
        ReflectionRules {
            today: parse_iso_date("2026-11-22").unwrap(),
            case_start: parse_iso_date("2026-01-05").unwrap(),
        }
    }

    fn full_input() -> ReflectionInput {
        ReflectionInput {
            session_number: "7".to_string(),
            session_date: "2026-11-20".to_string(),
            reactions: vec![
                ReactionInput {
                    id: String::new(),
                    dimension: "helpless".to_string(),
                    intensity: "4".to_string(),
                    text: "Could not find words when she left early.".to_string(),
                },
                ReactionInput {
                    id: String::new(),
                    dimension: "parental".to_string(),
                    intensity: "2".to_string(),
                    text: String::new(),
                },
                ReactionInput::default(),
            ],
            trigger: vec!["client_material".to_string(), "frame_change".to_string()],
            trigger_note: "The missed session.".to_string(),
            manifestation: vec!["avoidance".to_string()],
            management: vec!["self_insight".to_string()],
            origin: vec!["family".to_string()],
            origin_note: "My brother's silences.".to_string(),
            racker: "complementary".to_string(),
            racker_object: "the absent father".to_string(),
            enactment: "I ran over time.".to_string(),
            interventions: vec![
                InterventionInput {
                    kind: "clarification".to_string(),
                    minute: "5".to_string(),
                    depth: "1".to_string(),
                    ..InterventionInput::default()
                },
                InterventionInput {
                    kind: "transference_interpretation".to_string(),
                    phase: "late".to_string(),
                    depth: "4".to_string(),
                    target: "therapist".to_string(),
                    response: "withdrawal".to_string(),
                    text: "Linked the lateness to leaving me.".to_string(),
                    ..InterventionInput::default()
                },
            ],
            episodes: vec![EpisodeInput {
                with_whom: "past_figure".to_string(),
                when: "recent".to_string(),
                wish: "w_loved".to_string(),
                response_of_other: "ro_rejecting".to_string(),
                response_of_self_text: "Gave up asking.".to_string(),
                ..EpisodeInput::default()
            }],
            private_notes: "Talk to my own analyst about this.".to_string(),
            ..ReflectionInput::default()
        }
    }

    #[test]
    fn a_full_reflection_is_accepted_and_blank_rows_are_dropped() {
        let reflection = full_input().validate(rules()).unwrap();
        assert_eq!(reflection.session_number, 7);
        assert_eq!(reflection.reactions.len(), 2);
        assert_eq!(
            reflection.reactions[0].dimension,
            ReactionDimension::Helpless
        );
        assert_eq!(
            reflection.trigger.picked,
            [HayesTrigger::ClientMaterial, HayesTrigger::FrameChange]
        );
        assert_eq!(reflection.racker, Some(RackerIdentification::Complementary));
        assert_eq!(reflection.interventions[0].timing, Timing::Minute(5));
        assert_eq!(
            reflection.interventions[1].timing,
            Timing::Phase(SessionPhase::Late)
        );
        assert_eq!(
            reflection.interventions[1].response,
            Some(ClientResponse::Withdrawal)
        );
        assert_eq!(reflection.episodes[0].wish, Some(Wish::BeLoved));
        assert_eq!(reflection.episodes[0].response_of_self, None);
    }

    #[test]
    fn a_reflection_survives_the_round_trip_through_the_form() {
        let reflection = full_input().validate(rules()).unwrap();
        assert_eq!(reflection.to_input().validate(rules()), Ok(reflection));
    }

    #[test]
    fn an_empty_form_needs_only_number_and_date() {
        let reflection = ReflectionInput::blank(1, "2026-11-22")
            .validate(rules())
            .unwrap();
        assert!(reflection.reactions.is_empty() && reflection.interventions.is_empty());
        let errors = ReflectionInput::default().validate(rules()).unwrap_err();
        assert!(errors.get("session_number").is_some());
        assert!(errors.get("session_date").is_some());
    }

    #[test]
    fn session_numbers_are_whole_numbers_in_range() {
        assert_eq!(session_number(" 12 "), Ok(12));
        for bad in ["0", "-1", "10000", "1.5", "seven", ""] {
            assert!(session_number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn session_dates_are_real_not_future_and_not_before_the_case() {
        assert_eq!(
            session_date("2026-11-22", rules()),
            Ok("2026-11-22".to_string())
        );
        assert!(
            session_date("2026-11-23", rules()).is_ok(),
            "a day ahead is allowed"
        );
        assert!(session_date("2026-11-24", rules())
            .unwrap_err()
            .contains("future"));
        assert!(session_date("2026-01-04", rules())
            .unwrap_err()
            .contains("before the case"));
        assert!(session_date("2026-02-30", rules()).is_err());
    }

    #[test]
    fn row_errors_are_reported_at_the_row_and_field() {
        let mut input = full_input();
        input.reactions[1].intensity = "6".to_string();
        input.reactions[2].text = "felt something".to_string();
        input.interventions[0].minute = "121".to_string();
        input.interventions[1].kind = String::new();
        input.episodes[0].with_whom = String::new();
        input.episodes[0].when = "yesterday".to_string();
        let errors = input.validate(rules()).unwrap_err();
        assert!(errors.get("episodes.0.when").is_some(), "{errors:?}");
        assert!(errors.get("reactions.1.intensity").is_some());
        assert!(errors.get("reactions.2.dimension").is_some(), "{errors:?}");
        assert!(errors.get("reactions.2.intensity").is_some());
        assert!(errors.get("reactions.0.dimension").is_none());
        assert!(errors.get("interventions.0.minute").is_some());
        assert!(errors.get("interventions.1.kind").is_some());
        assert!(errors.get("episodes.0.with_whom").is_some());
    }

    #[test]
    fn intensity_and_depth_are_1_to_5() {
        for good in ["1", "5", " 3 "] {
            assert!(scale(good, "bad").is_ok(), "{good}");
        }
        for bad in ["0", "6", "", "x", "2.5"] {
            assert_eq!(scale(bad, "bad"), Err("bad"), "{bad}");
        }
    }

    #[test]
    fn an_intervention_has_a_minute_or_a_phase_but_not_both() {
        assert_eq!(timing("0", ""), Ok(Timing::Minute(0)));
        assert_eq!(timing("120", ""), Ok(Timing::Minute(120)));
        assert_eq!(
            timing("", "middle"),
            Ok(Timing::Phase(SessionPhase::Middle))
        );
        assert!(timing("", "").is_err());
        assert!(timing("12", "late").unwrap_err().contains("not both"));
        assert!(timing("121", "").is_err());
        assert!(timing("-1", "").is_err());
        assert!(timing("", "evening").is_err());
    }

    #[test]
    fn target_and_response_are_optional_but_must_be_on_the_list() {
        let mut input = full_input();
        input.interventions[1].target = "mother".to_string();
        input.interventions[1].response = "shrug".to_string();
        let errors = input.validate(rules()).unwrap_err();
        assert!(errors.get("interventions.1.target").is_some());
        assert!(errors.get("interventions.1.response").is_some());
    }

    #[test]
    fn complementary_identification_names_the_internal_object() {
        let mut input = full_input();
        input.racker_object = "  ".to_string();
        let errors = input.validate(rules()).unwrap_err();
        assert!(errors.get("racker_object").is_some());
        input.racker = "concordant".to_string();
        assert!(input.validate(rules()).is_ok());
        input.racker = "total".to_string();
        assert!(input.validate(rules()).unwrap_err().get("racker").is_some());
    }

    #[test]
    fn an_episode_needs_with_whom_and_at_least_one_component() {
        let mut input = full_input();
        input.episodes[0] = EpisodeInput {
            with_whom: "therapist".to_string(),
            ..EpisodeInput::default()
        };
        let errors = input.validate(rules()).unwrap_err();
        assert!(errors.get("episodes.0.wish").is_some());
        input.episodes[0].response_of_other_text = "Kept looking at the clock.".to_string();
        assert!(input.validate(rules()).is_ok());
        input.episodes[0].wish = "ro_strong".to_string();
        assert!(
            input
                .validate(rules())
                .unwrap_err()
                .get("episodes.0.wish")
                .is_some(),
            "an RO cluster is not a wish"
        );
    }

    #[test]
    fn unknown_hayes_choices_are_refused_and_repeats_kept_once() {
        let mut input = full_input();
        input.trigger = vec!["emotion".to_string(), "emotion".to_string()];
        assert_eq!(
            input.validate(rules()).unwrap().trigger.picked,
            [HayesTrigger::Emotion]
        );
        input.origin = vec!["astrology".to_string()];
        assert!(input.validate(rules()).unwrap_err().get("origin").is_some());
    }

    #[test]
    fn long_texts_are_refused_with_their_length_and_kept_as_typed() {
        let mut input = full_input();
        input.private_notes = "a".repeat(NOTE_MAX_CHARS + 1);
        input.reactions[0].text = "é".repeat(ROW_TEXT_MAX_CHARS);
        let errors = input.clone().validate(rules()).unwrap_err();
        assert!(errors.get("private_notes").unwrap().contains("20001"));
        assert!(
            errors.get("reactions.0.text").is_none(),
            "limits count characters"
        );
        assert_eq!(
            input.private_notes.len(),
            NOTE_MAX_CHARS + 1,
            "input untouched"
        );
    }

    #[test]
    fn too_many_rows_are_refused() {
        let mut input = full_input();
        input.reactions = vec![
            ReactionInput {
                id: String::new(),
                dimension: "positive".to_string(),
                intensity: "1".to_string(),
                text: String::new(),
            };
            ROWS_MAX + 1
        ];
        assert!(input
            .validate(rules())
            .unwrap_err()
            .get("reactions")
            .is_some());
    }

    #[test]
    fn rows_are_added_and_removed_by_position() {
        let mut input = ReflectionInput::blank(3, "2026-11-22");
        input.add_row(RowKind::Intervention);
        assert_eq!(input.rows(RowKind::Intervention), 2);
        input.interventions[0].text = "first".to_string();
        input.remove_row(RowKind::Intervention, 0);
        assert_eq!(input.interventions, [InterventionInput::default()]);
        input.remove_row(RowKind::Episode, 9);
        assert_eq!(input.rows(RowKind::Episode), 1);
        assert_eq!(RowKind::parse("episodes"), Some(RowKind::Episode));
        assert_eq!(RowKind::parse("sessions"), None);
    }

    #[test]
    fn passages_name_where_each_text_is_and_skip_empty_ones() {
        let reflection = full_input().validate(rules()).unwrap();
        let passages = reflection.passages();
        let labels: Vec<&str> = passages.iter().map(|(label, _)| label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Reaction: Helpless / inadequate",
                "Trigger",
                "Origin (private)",
                "Internal object",
                "Enactment",
                "Intervention 2: Transference interpretation",
                "Episode 1: response of self",
                "Private notes",
            ]
        );
    }
}
