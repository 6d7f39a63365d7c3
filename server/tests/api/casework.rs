//! Shared steps of the case and reflection tests: a signed-in therapist, the
//! case and reflection forms exactly as a browser posts them, and the JSON
//! answers of the reading endpoints.

use app::{
    api::reflections::SearchResults,
    domain::{
        accounts::User,
        cases::CaseId,
        reflection::{
            EpisodeInput, InterventionInput, ReactionInput, Reflection, ReflectionId,
            ReflectionInput,
        },
    },
    error::AppError,
};
use base64::{engine::general_purpose::URL_SAFE, Engine};
use leptos::server_fn::error::FromServerFnError;
use serde::de::DeserializeOwned;

use crate::helpers::{TestApp, GOOD_PASSWORD};

/// The start date of every case made with [`case_form`].
pub const CASE_START: &str = "2026-01-05";

/// Creates an account and signs it in with `client`.
pub async fn therapist(app: &TestApp, client: &reqwest::Client, email: &str) -> User {
    let user = app
        .create_user(email, "Therapist", GOOD_PASSWORD, false)
        .await;
    assert_eq!(
        app.sign_in_with(client, email, GOOD_PASSWORD)
            .await
            .status(),
        200
    );
    user
}

/// Form fields in the order they are posted; a name may repeat.
#[derive(Debug, Clone, Default)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn new() -> Self {
        Form::default()
    }

    pub fn add(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.push((name.into(), value.into()));
        self
    }

    /// Replaces every value of `name` with one `value`.
    pub fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.retain(|(existing, _)| existing != name);
        self.add(name, value)
    }

    pub fn fields(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect()
    }
}

/// A valid case form: psychodynamic, weekly, from [`CASE_START`], two names to watch.
pub fn case_form(code: &str) -> Form {
    Form::new()
        .add("case[code]", code)
        .add("case[modality]", "psychodynamic")
        .add("case[frequency]", "weekly")
        .add("case[start_date]", CASE_START)
        .add("case[planned_sessions]", "40")
        .add("case[names_to_watch]", "Marguerite\nTheodor")
}

/// Where a form action sent the browser.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location in the answer ({})", response.status()))
        .to_str()
        .unwrap()
        .to_string()
}

/// The number right after `prefix` in `text`: `number_after("/cases/", "/cases/7?x=1")` is 7.
pub fn number_after(prefix: &str, text: &str) -> i64 {
    let rest = text
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{text} does not start with {prefix}"));
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number after {prefix} in {text}"))
}

/// Creates a case as `client`'s therapist, as the page does with JavaScript.
pub async fn create_case(app: &TestApp, client: &reqwest::Client, code: &str) -> CaseId {
    let response = app
        .post_form_with(client, "/api/cases/create", &case_form(code).fields())
        .await;
    assert_eq!(response.status(), 200, "creating {code}");
    CaseId(number_after("/cases/", &location(&response)))
}

pub async fn get_with(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    query: &[(&str, &str)],
) -> reqwest::Response {
    client
        .get(app.url(path))
        .query(query)
        .send()
        .await
        .expect("request failed")
}

/// A successful GET endpoint's answer, decoded.
pub async fn get_json<T: DeserializeOwned>(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    query: &[(&str, &str)],
) -> T {
    let response = get_with(app, client, path, query).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{path} {query:?}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|error| panic!("{path}: {error}: {body}"))
}

/// A search as the search form sends it (`query[words]=…`), by `client`.
pub async fn search_as(
    app: &TestApp,
    client: &reqwest::Client,
    query: &[(&str, &str)],
) -> SearchResults {
    let query: Vec<(String, &str)> = query
        .iter()
        .map(|(name, value)| (format!("query[{name}]"), *value))
        .collect();
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    get_json(app, client, "/api/reflections/search", &query).await
}

/// The reflection form as a browser posts it: every field, empty ones too,
/// rows by position with their stored ids in hidden fields (empty for a new
/// row), picked choices repeated with `[]`.
pub fn reflection_form(case: CaseId, input: &ReflectionInput) -> Form {
    let mut form = Form::new().add("case_id", case.0.to_string());
    let mut put = |name: &str, value: &str| {
        form = std::mem::take(&mut form).add(format!("reflection[{name}]"), value);
    };
    put("session_number", &input.session_number);
    put("session_date", &input.session_date);
    for (index, reaction) in input.reactions.iter().enumerate() {
        put(&format!("reactions][{index}][id"), &reaction.id);
        put(
            &format!("reactions][{index}][dimension"),
            &reaction.dimension,
        );
        put(
            &format!("reactions][{index}][intensity"),
            &reaction.intensity,
        );
        put(&format!("reactions][{index}][text"), &reaction.text);
    }
    for (list, note, picked, text) in [
        (
            "trigger",
            "trigger_note",
            &input.trigger,
            &input.trigger_note,
        ),
        (
            "manifestation",
            "manifestation_note",
            &input.manifestation,
            &input.manifestation_note,
        ),
        (
            "management",
            "management_note",
            &input.management,
            &input.management_note,
        ),
        ("origin", "origin_note", &input.origin, &input.origin_note),
    ] {
        for slug in picked {
            put(&format!("{list}]["), slug);
        }
        put(note, text);
    }
    put("racker", &input.racker);
    put("racker_object", &input.racker_object);
    put("racker_note", &input.racker_note);
    put("enactment", &input.enactment);
    for (index, row) in input.interventions.iter().enumerate() {
        for (field, value) in [
            ("id", &row.id),
            ("kind", &row.kind),
            ("minute", &row.minute),
            ("phase", &row.phase),
            ("depth", &row.depth),
            ("target", &row.target),
            ("response", &row.response),
            ("text", &row.text),
        ] {
            put(&format!("interventions][{index}][{field}"), value);
        }
    }
    for (index, row) in input.episodes.iter().enumerate() {
        for (field, value) in [
            ("id", &row.id),
            ("with_whom", &row.with_whom),
            ("when", &row.when),
            ("wish", &row.wish),
            ("wish_text", &row.wish_text),
            ("response_of_other", &row.response_of_other),
            ("response_of_other_text", &row.response_of_other_text),
            ("response_of_self", &row.response_of_self),
            ("response_of_self_text", &row.response_of_self_text),
        ] {
            put(&format!("episodes][{index}][{field}"), value);
        }
    }
    put("private_notes", &input.private_notes);
    form
}

/// Saves a new reflection (as the editor does with JavaScript) and returns its id.
pub async fn save_new_reflection(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    input: &ReflectionInput,
) -> ReflectionId {
    let form = reflection_form(case, input).add("intent", "save");
    let response = app
        .post_form_with(client, "/api/reflections/save", &form.fields())
        .await;
    let status = response.status();
    let target = response.headers().get("location").cloned();
    assert_eq!(
        status,
        200,
        "saving session {}: {}",
        input.session_number,
        response.text().await.unwrap()
    );
    let target = target.expect("a redirect").to_str().unwrap().to_string();
    ReflectionId(number_after(
        &format!("/cases/{}/reflections/", case.0),
        &target,
    ))
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| value.to_string()).collect()
}

/// A complete reflection: two reactions, three interventions (one of them an
/// interpretation), one episode, every section used.
pub fn full_reflection(session_number: u32, session_date: &str) -> ReflectionInput {
    ReflectionInput {
        session_number: session_number.to_string(),
        session_date: session_date.to_string(),
        reactions: vec![
            reaction("helpless", "4", "Could not find words when she left early."),
            reaction("parental", "2", ""),
        ],
        trigger: strings(&["client_material", "frame_change"]),
        trigger_note: "The missed session.".to_string(),
        manifestation: strings(&["avoidance"]),
        manifestation_note: String::new(),
        management: strings(&["self_insight"]),
        management_note: String::new(),
        origin: strings(&["family"]),
        origin_note: "My brother's silences.".to_string(),
        racker: "complementary".to_string(),
        racker_object: "the absent father".to_string(),
        racker_note: String::new(),
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
            InterventionInput {
                kind: "question".to_string(),
                minute: "32".to_string(),
                depth: "2".to_string(),
                target: "self".to_string(),
                response: "new_material".to_string(),
                text: "Asked what the silence held.".to_string(),
                ..InterventionInput::default()
            },
        ],
        episodes: vec![EpisodeInput {
            id: String::new(),
            with_whom: "past_figure".to_string(),
            when: "long_ago".to_string(),
            wish: "w_loved".to_string(),
            wish_text: "To be waited for.".to_string(),
            response_of_other: "ro_rejecting".to_string(),
            response_of_other_text: String::new(),
            response_of_self: "rs_disappointed".to_string(),
            response_of_self_text: "Gave up asking.".to_string(),
        }],
        private_notes: "Talk to my own analyst about this.".to_string(),
    }
}

/// A reflection with only a number, a date and one reaction.
pub fn short_reflection(session_number: u32, session_date: &str) -> ReflectionInput {
    ReflectionInput {
        session_number: session_number.to_string(),
        session_date: session_date.to_string(),
        reactions: vec![reaction("positive", "3", "A warm session.")],
        ..ReflectionInput::default()
    }
}

pub fn reaction(dimension: &str, intensity: &str, text: &str) -> ReactionInput {
    ReactionInput {
        id: String::new(),
        dimension: dimension.to_string(),
        intensity: intensity.to_string(),
        text: text.to_string(),
    }
}

/// The reflection without its rows' ids, to compare with what was typed;
/// every row read back must have one.
pub fn without_row_ids(mut reflection: Reflection) -> Reflection {
    let ids: Vec<_> = (reflection.reactions.iter().map(|row| row.id))
        .chain(reflection.interventions.iter().map(|row| row.id))
        .chain(reflection.episodes.iter().map(|row| row.id))
        .collect();
    assert!(
        ids.iter().all(Option::is_some),
        "every stored row has an id: {ids:?}"
    );
    reflection
        .reactions
        .iter_mut()
        .for_each(|row| row.id = None);
    reflection
        .interventions
        .iter_mut()
        .for_each(|row| row.id = None);
    reflection.episodes.iter_mut().for_each(|row| row.id = None);
    reflection
}

/// The decoded query parameters of a path such as `/cases/new?a=1&b=2`.
pub fn url_pairs(target: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://localhost{target}"))
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

/// The error a failed plain post carries back to its form.
pub fn error_in(target: &str) -> AppError {
    let (_, encoded) = url_pairs(target)
        .into_iter()
        .find(|(name, _)| name == "__err")
        .unwrap_or_else(|| panic!("no error in {target}"));
    AppError::de(URL_SAFE.decode(encoded).unwrap().into())
}
