//! A session reflection: what the therapist records after a session, as typed
//! ([`ReflectionInput`], which is also what a draft keeps) and as validated
//! ([`Reflection`]).

use serde::{Deserialize, Serialize};

use super::{
    time::parse_iso_date,
    validation::FieldErrors,
    vocabulary::{
        ClientResponse, EpisodeWith, HayesManagement, HayesManifestation, HayesOrigin,
        HayesTrigger, InterventionKind, RackerIdentification, ReactionDimension, ResponseOfOther,
        ResponseOfSelf, SessionPhase, TargetPerson, Wish,
    },
};

/// Longest free text of a section (notes, enactment, Hayes texts).
pub const NOTE_MAX_CHARS: usize = 20_000;
/// Longest free text of one reaction, intervention or episode part.
pub const ROW_TEXT_MAX_CHARS: usize = 4_000;
/// Most rows of one kind in a reflection.
pub const ROWS_MAX: usize = 60;
pub const SESSION_NUMBER_MAX: u32 = 9_999;
pub const MINUTE_MAX: u8 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReflectionId(pub i64);

/// The reflection form exactly as typed: every value a string, so that an
/// invalid submission (or a draft) can be shown again without losing a
/// character.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReflectionInput {
    pub session_number: String,
    pub session_date: String,
    pub reactions: Vec<ReactionInput>,
    pub trigger: Vec<String>,
    pub trigger_note: String,
    pub manifestation: Vec<String>,
    pub manifestation_note: String,
    pub management: Vec<String>,
    pub management_note: String,
    pub origin: Vec<String>,
    pub origin_note: String,
    pub racker: String,
    pub racker_object: String,
    pub racker_note: String,
    pub enactment: String,
    pub interventions: Vec<InterventionInput>,
    pub episodes: Vec<EpisodeInput>,
    pub private_notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReactionInput {
    pub dimension: String,
    pub intensity: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterventionInput {
    pub kind: String,
    pub minute: String,
    pub phase: String,
    pub depth: String,
    pub target: String,
    pub response: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EpisodeInput {
    pub with_whom: String,
    pub wish: String,
    pub wish_text: String,
    pub response_of_other: String,
    pub response_of_other_text: String,
    pub response_of_self: String,
    pub response_of_self_text: String,
}

/// The repeatable parts of a reflection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowKind {
    Reaction,
    Intervention,
    Episode,
}

impl RowKind {
    pub fn slug(self) -> &'static str {
        match self {
            RowKind::Reaction => "reactions",
            RowKind::Intervention => "interventions",
            RowKind::Episode => "episodes",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        [RowKind::Reaction, RowKind::Intervention, RowKind::Episode]
            .into_iter()
            .find(|kind| kind.slug() == slug)
    }
}

/// A validated reflection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reflection {
    pub session_number: u32,
    /// `YYYY-MM-DD`.
    pub session_date: String,
    pub reactions: Vec<Reaction>,
    pub trigger: Choices<HayesTrigger>,
    pub manifestation: Choices<HayesManifestation>,
    pub management: Choices<HayesManagement>,
    /// Private: never shared.
    pub origin: Choices<HayesOrigin>,
    pub racker: Option<RackerIdentification>,
    /// The internal object of a complementary identification.
    pub racker_object: String,
    pub racker_note: String,
    pub enactment: String,
    pub interventions: Vec<Intervention>,
    pub episodes: Vec<Episode>,
    /// Private: never shared.
    pub private_notes: String,
}

/// Choices from one of Hayes' lists, with the therapist's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices<T> {
    pub picked: Vec<T>,
    pub note: String,
}

impl<T> Default for Choices<T> {
    fn default() -> Self {
        Choices {
            picked: Vec::new(),
            note: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub dimension: ReactionDimension,
    /// 1–5.
    pub intensity: u8,
    pub text: String,
}

/// When in the session an intervention happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timing {
    Minute(u8),
    Phase(SessionPhase),
}

impl Timing {
    pub fn describe(self) -> String {
        match self {
            Timing::Minute(minute) => format!("minute {minute}"),
            Timing::Phase(phase) => format!("{} in the session", phase.label().to_lowercase()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervention {
    pub kind: InterventionKind,
    pub timing: Timing,
    /// 1 (close to what the client already says) – 5 (far from awareness).
    pub depth: u8,
    pub target: Option<TargetPerson>,
    pub response: Option<ClientResponse>,
    pub text: String,
}

/// A relationship episode (Luborsky's CCRT): each component a cluster pick
/// and/or the therapist's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub with_whom: EpisodeWith,
    pub wish: Option<Wish>,
    pub wish_text: String,
    pub response_of_other: Option<ResponseOfOther>,
    pub response_of_other_text: String,
    pub response_of_self: Option<ResponseOfSelf>,
    pub response_of_self_text: String,
}

/// A saved reflection with what identifies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReflection {
    pub id: ReflectionId,
    pub case_id: super::cases::CaseId,
    pub case_code: String,
    /// Incremented by every save.
    pub version: i64,
    pub updated_at: i64,
    pub reflection: Reflection,
}

/// Unsaved typing, kept on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub input: ReflectionInput,
    /// The saved version the typing started from (`None` for a new reflection).
    pub base_version: Option<i64>,
    pub updated_at: i64,
}

/// A draft as listed for its author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub case_id: super::cases::CaseId,
    pub case_code: String,
    pub reflection_id: Option<ReflectionId>,
    pub session_number: String,
    pub updated_at: i64,
}

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
    /// A fresh form: the next session number, today's date, one empty row
    /// of each kind to start typing in.
    pub fn blank(session_number: u32, today: &str) -> Self {
        ReflectionInput {
            session_number: session_number.to_string(),
            session_date: today.to_string(),
            reactions: vec![ReactionInput::default()],
            interventions: vec![InterventionInput::default()],
            episodes: vec![EpisodeInput::default()],
            ..ReflectionInput::default()
        }
    }

    pub fn add_row(&mut self, kind: RowKind) {
        match kind {
            RowKind::Reaction => self.reactions.push(ReactionInput::default()),
            RowKind::Intervention => self.interventions.push(InterventionInput::default()),
            RowKind::Episode => self.episodes.push(EpisodeInput::default()),
        }
    }

    /// Removes row `index` of `kind`; an index past the end changes nothing.
    pub fn remove_row(&mut self, kind: RowKind, index: usize) {
        fn remove<T>(rows: &mut Vec<T>, index: usize) {
            if index < rows.len() {
                rows.remove(index);
            }
        }
        match kind {
            RowKind::Reaction => remove(&mut self.reactions, index),
            RowKind::Intervention => remove(&mut self.interventions, index),
            RowKind::Episode => remove(&mut self.episodes, index),
        }
    }

    pub fn rows(&self, kind: RowKind) -> usize {
        match kind {
            RowKind::Reaction => self.reactions.len(),
            RowKind::Intervention => self.interventions.len(),
            RowKind::Episode => self.episodes.len(),
        }
    }

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

impl Reflection {
    /// The form filled with this reflection, for editing.
    pub fn to_input(&self) -> ReflectionInput {
        fn slugs<T: Copy>(picked: &[T], slug: fn(T) -> &'static str) -> Vec<String> {
            picked
                .iter()
                .map(|&choice| slug(choice).to_string())
                .collect()
        }
        fn optional<T: Copy>(choice: Option<T>, slug: fn(T) -> &'static str) -> String {
            choice.map(slug).unwrap_or_default().to_string()
        }
        ReflectionInput {
            session_number: self.session_number.to_string(),
            session_date: self.session_date.clone(),
            reactions: self
                .reactions
                .iter()
                .map(|reaction| ReactionInput {
                    dimension: reaction.dimension.slug().to_string(),
                    intensity: reaction.intensity.to_string(),
                    text: reaction.text.clone(),
                })
                .collect(),
            trigger: slugs(&self.trigger.picked, HayesTrigger::slug),
            trigger_note: self.trigger.note.clone(),
            manifestation: slugs(&self.manifestation.picked, HayesManifestation::slug),
            manifestation_note: self.manifestation.note.clone(),
            management: slugs(&self.management.picked, HayesManagement::slug),
            management_note: self.management.note.clone(),
            origin: slugs(&self.origin.picked, HayesOrigin::slug),
            origin_note: self.origin.note.clone(),
            racker: optional(self.racker, RackerIdentification::slug),
            racker_object: self.racker_object.clone(),
            racker_note: self.racker_note.clone(),
            enactment: self.enactment.clone(),
            interventions: self
                .interventions
                .iter()
                .map(|intervention| {
                    let (minute, phase) = match intervention.timing {
                        Timing::Minute(minute) => (minute.to_string(), String::new()),
                        Timing::Phase(phase) => (String::new(), phase.slug().to_string()),
                    };
                    InterventionInput {
                        kind: intervention.kind.slug().to_string(),
                        minute,
                        phase,
                        depth: intervention.depth.to_string(),
                        target: optional(intervention.target, TargetPerson::slug),
                        response: optional(intervention.response, ClientResponse::slug),
                        text: intervention.text.clone(),
                    }
                })
                .collect(),
            episodes: self
                .episodes
                .iter()
                .map(|episode| EpisodeInput {
                    with_whom: episode.with_whom.slug().to_string(),
                    wish: optional(episode.wish, Wish::slug),
                    wish_text: episode.wish_text.clone(),
                    response_of_other: optional(episode.response_of_other, ResponseOfOther::slug),
                    response_of_other_text: episode.response_of_other_text.clone(),
                    response_of_self: optional(episode.response_of_self, ResponseOfSelf::slug),
                    response_of_self_text: episode.response_of_self_text.clone(),
                })
                .collect(),
            private_notes: self.private_notes.clone(),
        }
    }

    /// Every free-text passage with a label saying where it is, in reading
    /// order (private ones included: this is the author's view).
    pub fn passages(&self) -> Vec<(String, &str)> {
        let mut passages: Vec<(String, &str)> = Vec::new();
        for reaction in &self.reactions {
            passages.push((
                format!("Reaction: {}", reaction.dimension.label()),
                &reaction.text,
            ));
        }
        passages.push(("Trigger".to_string(), &self.trigger.note));
        passages.push(("Manifestation".to_string(), &self.manifestation.note));
        passages.push(("Management".to_string(), &self.management.note));
        passages.push(("Origin (private)".to_string(), &self.origin.note));
        passages.push(("Internal object".to_string(), &self.racker_object));
        passages.push(("Identification".to_string(), &self.racker_note));
        passages.push(("Enactment".to_string(), &self.enactment));
        for (index, intervention) in self.interventions.iter().enumerate() {
            passages.push((
                format!("Intervention {}: {}", index + 1, intervention.kind.label()),
                &intervention.text,
            ));
        }
        for (index, episode) in self.episodes.iter().enumerate() {
            let number = index + 1;
            passages.push((format!("Episode {number}: wish"), &episode.wish_text));
            passages.push((
                format!("Episode {number}: response of other"),
                &episode.response_of_other_text,
            ));
            passages.push((
                format!("Episode {number}: response of self"),
                &episode.response_of_self_text,
            ));
        }
        passages.push(("Private notes".to_string(), &self.private_notes));
        passages.retain(|(_, text)| !text.trim().is_empty());
        passages
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
            with_whom: with_whom.expect("checked"),
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
                    dimension: "helpless".to_string(),
                    intensity: "4".to_string(),
                    text: "Could not find words when she left early.".to_string(),
                },
                ReactionInput {
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
        let errors = input.validate(rules()).unwrap_err();
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
