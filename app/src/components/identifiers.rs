//! Possible identifiers shown where they are in the text, and the form on
//! which the therapist confirms those that do not identify the client.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::{
    api::{
        reflections::editor_path,
        shares::{ConfirmIdentifiers, ConfirmReturn},
    },
    components::form::{action_error, field_error, FormAlert},
    domain::{
        cases::CaseId,
        identifiers::{
            find_identifiers,
            review::{
                in_context, pending_in, segments, MarkedPassage, PassageReview, ReviewedFinding,
            },
            IdentifierClass, Watchlist,
        },
        reflection::ReflectionInput,
    },
};

/// The text with each finding marked and named for screen readers too.
#[component]
pub fn MarkedText(text: String, findings: Vec<(usize, usize, IdentifierClass)>) -> impl IntoView {
    view! {
        <p class="marked-text">
            {segments(&text, &findings)
                .into_iter()
                .map(|segment| match segment.finding {
                    Some(class) => view! {
                        <mark class="identifier" title=class.label()>
                            {segment.text}
                            <span class="visually-hidden">{format!(" ({})", class.label())}</span>
                        </mark>
                    }
                    .into_any(),
                    None => segment.text.into_any(),
                })
                .collect_view()}
        </p>
    }
}

fn excerpt(text: &str, finding: &ReviewedFinding) -> String {
    text.chars()
        .skip(finding.start)
        .take(finding.end - finding.start)
        .collect()
}

/// One finding: confirmed already, or a box to confirm it.
#[component]
fn FindingChoice(text: String, finding: ReviewedFinding) -> impl IntoView {
    let quoted = format!("“{}”", excerpt(&text, &finding));
    let label = finding.class.label();
    if finding.confirmed {
        view! { <li class="finding-confirmed">{quoted} " (" {label} "): you confirmed it is not identifying."</li> }
            .into_any()
    } else {
        view! {
            <li>
                <label class="checkbox">
                    <input type="checkbox" name="confirmed[]" value=finding.fingerprint />
                    {quoted} " (" {label} ") is not identifying"
                </label>
            </li>
        }
        .into_any()
    }
}

#[component]
fn ReviewedPassage(case: CaseId, passage: PassageReview) -> impl IntoView {
    let marks = passage
        .findings
        .iter()
        .map(|f| (f.start, f.end, f.class))
        .collect();
    let text = passage.text.clone();
    view! {
        <div class="identifier-passage">
            <h3>"Session " {passage.session_number} " · " {passage.label.clone()}</h3>
            <MarkedText text=passage.text.clone() findings=marks />
            <ul class="finding-list">
                {passage
                    .findings
                    .into_iter()
                    .map(|finding| view! { <FindingChoice text=text.clone() finding /> })
                    .collect_view()}
            </ul>
            <a href=editor_path(case, Some(passage.reflection))>"Fix it in the reflection"</a>
        </div>
    }
}

/// The hidden fields that bring a confirmation back to where it was made.
#[component]
fn ReturnFields(back: ConfirmReturn) -> impl IntoView {
    view! {
        {back.reflection_id.map(|id| view! { <input type="hidden" name="back[reflection_id]" value=id /> })}
        {back.share.map(|share| view! {
            <input type="hidden" name="back[share][supervisor_email]" value=share.supervisor_email />
            <input type="hidden" name="back[share][basis]" value=share.basis />
            {share
                .excluded
                .into_iter()
                .map(|id| view! { <input type="hidden" name="back[share][excluded][]" value=id /> })
                .collect_view()}
            <input type="hidden" name="back[share][expires_on]" value=share.expires_on />
        })}
    }
}

fn pending_sentence(pending: usize) -> String {
    match pending {
        0 => "Every possible identifier here is confirmed as not identifying.".to_string(),
        1 => "1 possible identifier is waiting: fix it in the reflection, or confirm it does not identify your client.".to_string(),
        n => format!("{n} possible identifiers are waiting: fix each in its reflection, or confirm it does not identify your client."),
    }
}

/// What the check found in text a supervisor would read, with the form to
/// confirm findings as not identifying.
#[component]
pub fn IdentifierReview(
    case: CaseId,
    passages: Vec<PassageReview>,
    back: ConfirmReturn,
) -> impl IntoView {
    let action = ServerAction::<ConfirmIdentifiers>::new();
    let error = action_error(action);
    let pending = pending_in(&passages);
    view! {
        <section id="identifiers" class="identifier-review" aria-labelledby="identifiers-heading">
            <h2 id="identifiers-heading">"Possible identifiers"</h2>
            <p>
                "The identifier check marks what could identify your client in what a supervisor would read: "
                "addresses, numbers, full dates, ages over 89 and the names you listed to watch. "
                {pending_sentence(pending)}
            </p>
            <ActionForm action attr:class="stacked-form">
                <FormAlert error />
                <input type="hidden" name="case_id" value=case.0 />
                <ReturnFields back />
                {passages
                    .into_iter()
                    .map(|passage| view! { <ReviewedPassage case passage /> })
                    .collect_view()}
                <p class="field-error">{move || field_error(error, "confirmed").get()}</p>
                {(pending > 0).then(|| view! {
                    <button type="submit" class="button-secondary" disabled=move || action.pending().get()>
                        "Confirm the checked ones are not identifying"
                    </button>
                })}
            </ActionForm>
        </section>
    }
}

/// Findings in the private parts: marked for the author, never checked for
/// sharing because these parts are never shared.
#[component]
pub fn PrivateFindings(passages: Vec<MarkedPassage>) -> impl IntoView {
    view! {
        <section class="identifier-review" aria-labelledby="private-identifiers-heading">
            <h2 id="private-identifiers-heading">"Possible identifiers in your private parts"</h2>
            <p>"These parts are never shared; the marks are for you alone."</p>
            {passages
                .into_iter()
                .map(|passage| {
                    let marks = passage.findings.iter().map(|f| (f.start, f.end, f.class)).collect();
                    view! {
                        <div class="identifier-passage">
                            <h3>{passage.label}</h3>
                            <MarkedText text=passage.text findings=marks />
                        </div>
                    }
                })
                .collect_view()}
        </section>
    }
}

type FieldFindings = Vec<(usize, usize, IdentifierClass)>;

/// What the check finds in the editor's text fields as they are typed, by
/// form name. Provided by the reflection editor; other forms have none.
#[derive(Clone, Copy)]
pub struct LiveMarks(RwSignal<HashMap<String, (String, FieldFindings)>>);

impl LiveMarks {
    pub fn new() -> Self {
        LiveMarks(RwSignal::new(HashMap::new()))
    }

    /// Checks every text field again (the whole form is a few thousand
    /// words at most: well within a keystroke's time).
    pub fn update(&self, input: &ReflectionInput, watchlist: Watchlist<'_>) {
        let marks = input
            .text_fields()
            .into_iter()
            .filter_map(|(name, text)| {
                let findings: FieldFindings = find_identifiers(text, watchlist)
                    .into_iter()
                    .map(|f| (f.start, f.end, f.class))
                    .collect();
                (!findings.is_empty()).then(|| (name, (text.to_string(), findings)))
            })
            .collect();
        self.0.set(marks);
    }

    fn of(&self, name: &str) -> Option<(String, FieldFindings)> {
        self.0.with(|marks| marks.get(name).cloned())
    }
}

impl Default for LiveMarks {
    fn default() -> Self {
        Self::new()
    }
}

/// Below a text field of the reflection editor: each possible identifier
/// typed in it, shown in place with a little of the text around it.
#[component]
pub fn FieldMarks(#[prop(into)] name: Signal<String>) -> impl IntoView {
    let live = use_context::<LiveMarks>();
    move || {
        let (text, findings) = live?.of(&name.get())?;
        Some(view! {
            <div class="field-marks">
                <p class="field-hint">"Possible identifiers here (fix them, or confirm them when you share):"</p>
                <ul class="finding-list">
                    {findings
                        .into_iter()
                        .map(|(start, end, class)| {
                            let (before, marked, after) = in_context(&text, start, end, 24);
                            view! {
                                <li>
                                    {before}
                                    <mark class="identifier">{marked}</mark>
                                    {after}
                                    " — " {class.label()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        })
    }
}
