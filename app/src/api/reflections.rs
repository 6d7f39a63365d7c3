//! Session reflections: the editor (with drafts and edit conflicts), the
//! reading view and search. All of it is the author's own view.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{
            cases::Case,
            reflection::{ReflectionRules, RowKind},
            time::{format_utc_date, parse_iso_date, utc_day},
            validation::FieldErrors,
        },
        server::{
            access::{clinical_stores, owned_case, OwnedCase},
            auth::{now_ms, require_user},
            crypto::FieldCipher,
            feedback,
            forms::{answer_form, local_path_or_home, FormPage},
            identifier_review,
            repo::{Database, NewDraft, OwnersCase, RepoError, UpdateOutcome},
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::{
        accounts::UserId,
        cases::{CaseId, CaseSummary},
        feedback::ReflectionFeedback,
        identifiers::review::ReflectionIdentifiers,
        reflection::{Draft, DraftSummary, ReflectionId, ReflectionInput, StoredReflection},
        search::{Passage, SearchInput},
    },
    error::AppError,
};

/// Everything the reflection editor needs to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Editor {
    /// Whose editor this is (keys the browser's copy of unsaved typing).
    pub owner: UserId,
    pub case_id: CaseId,
    pub case_code: String,
    /// The case's names to watch, which the editor marks as they are typed.
    pub names_to_watch: Vec<String>,
    /// The saved reflection when editing one.
    pub saved: Option<StoredReflection>,
    /// Unsaved typing kept on the server.
    pub draft: Option<Draft>,
    /// The form to start from when neither a saved reflection nor a draft is used.
    pub blank: ReflectionInput,
}

impl Editor {
    /// A draft that started from an older version than the one saved now.
    pub fn draft_conflicts(&self) -> bool {
        match (&self.saved, &self.draft) {
            (Some(saved), Some(draft)) => draft.base_version != Some(saved.version),
            _ => false,
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub case_id: CaseId,
    pub case_code: String,
    pub reflection_id: ReflectionId,
    pub session_number: u32,
    pub session_date: String,
    pub passage: Option<Passage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// This page's hits, newest first.
    pub hits: Vec<SearchHit>,
    /// How many reflections match in all.
    pub total: usize,
    /// Which page `hits` is, from 1.
    pub page: usize,
    /// The asker's cases, for the case filter.
    pub cases: Vec<CaseSummary>,
}

/// Where the editor of a new (`None`) or saved reflection lives.
pub fn editor_path(case: CaseId, reflection: Option<ReflectionId>) -> String {
    match reflection {
        Some(id) => format!("/cases/{}/reflections/{}/edit", case.0, id.0),
        None => format!("/cases/{}/reflections/new", case.0),
    }
}

pub fn reflection_path(case: CaseId, reflection: ReflectionId) -> String {
    format!("/cases/{}/reflections/{}", case.0, reflection.0)
}

#[cfg(feature = "ssr")]
struct Context {
    owner: UserId,
    database: Database,
    cipher: FieldCipher,
    case: OwnedCase,
}

/// Who is asking, and the case, which must be theirs.
#[cfg(feature = "ssr")]
async fn context(case_id: i64) -> Result<Context, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let case = owned_case(&database, &cipher, signed_in.user.id, CaseId(case_id)).await?;
    Ok(Context {
        owner: signed_in.user.id,
        database,
        cipher,
        case,
    })
}

#[cfg(feature = "ssr")]
fn today() -> String {
    format_utc_date(now_ms())
}

#[server(endpoint = "reflections/editor", input = leptos::server_fn::codec::GetUrl)]
pub async fn reflection_editor(
    case_id: i64,
    reflection_id: Option<i64>,
) -> Result<Editor, AppError> {
    let Context {
        owner,
        database,
        cipher,
        case,
    } = context(case_id).await?;
    let reflection_id = reflection_id.map(ReflectionId);
    let saved = match reflection_id {
        Some(id) => Some(
            database
                .reflection_of(&cipher, owner, case.id, id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let draft = database
        .draft(&cipher, owner, case.id, reflection_id)
        .await?;
    let next = database.next_session_number(case.id).await?;
    let Case { id, details, .. } = case.into_case();
    Ok(Editor {
        owner,
        case_id: id,
        case_code: details.code,
        names_to_watch: details.names_to_watch,
        saved,
        draft,
        blank: ReflectionInput::blank(next, &today()),
    })
}

/// What the editor's buttons ask for besides saving.
#[cfg(feature = "ssr")]
enum Intent {
    Save,
    KeepDraft,
    AddRow(RowKind),
    RemoveRow(RowKind, usize),
}

#[cfg(feature = "ssr")]
fn parse_intent(intent: Option<&str>) -> Result<Intent, AppError> {
    let bad = || AppError::BadRequest("unknown form action".to_string());
    let Some(intent) = intent.filter(|intent| !intent.is_empty()) else {
        return Ok(Intent::Save);
    };
    let mut parts = intent.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("save"), None, None) => Ok(Intent::Save),
        (Some("draft"), None, None) => Ok(Intent::KeepDraft),
        (Some("add"), Some(kind), None) => RowKind::parse(kind).map(Intent::AddRow).ok_or_else(bad),
        (Some("remove"), Some(kind), Some(index)) => match (RowKind::parse(kind), index.parse()) {
            (Some(kind), Ok(index)) => Ok(Intent::RemoveRow(kind, index)),
            _ => Err(bad()),
        },
        _ => Err(bad()),
    }
}

/// Saves the reflection form. Anything that does not end in a save keeps
/// what was typed as the draft, so nothing is lost: invalid fields, an edit
/// conflict, and (without JavaScript) adding or removing a row, which
/// returns to the editor showing the draft.
#[server(endpoint = "reflections/save")]
pub async fn save_reflection(
    case_id: i64,
    reflection_id: Option<i64>,
    version: Option<i64>,
    intent: Option<String>,
    reflection: ReflectionInput,
) -> Result<(), AppError> {
    let reflection_id = reflection_id.map(ReflectionId);
    let editor = editor_path(CaseId(case_id), reflection_id);
    let result = async {
        let Context {
            owner,
            database,
            cipher,
            case,
        } = context(case_id).await?;
        // Like `keep_draft`: a saved reflection is reached through its own
        // case only, and no draft is kept for one that is not there.
        if let Some(id) = reflection_id {
            database
                .reflection_of(&cipher, owner, case.id, id)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        let case_for_drafts = case.id;
        let keep_draft = |input: ReflectionInput| {
            let (database, cipher) = (database.clone(), cipher.clone());
            async move {
                let draft = NewDraft {
                    owner,
                    case: case_for_drafts,
                    reflection: reflection_id,
                    base_version: version,
                    input: &input,
                    now: now_ms(),
                };
                database.save_draft(&cipher, &draft).await
            }
        };
        let mut input = reflection.clone();
        match parse_intent(intent.as_deref())? {
            Intent::Save => {}
            Intent::KeepDraft => {
                keep_draft(input).await?;
                return Ok(format!("/cases/{case_id}?draft_kept=1"));
            }
            Intent::AddRow(kind) => {
                input.add_row(kind);
                let focus = format!("{}-{}", kind.slug(), input.rows(kind) - 1);
                keep_draft(input).await?;
                return Ok(format!("{editor}?draft=1&focus={focus}#{focus}"));
            }
            Intent::RemoveRow(kind, index) => {
                input.remove_row(kind, index);
                keep_draft(input).await?;
                return Ok(format!("{editor}?draft=1#{}", kind.slug()));
            }
        }

        let rules = ReflectionRules {
            today: utc_day(now_ms()),
            case_start: parse_iso_date(&case.details.start_date).unwrap_or_default(),
        };
        let valid = match input.validate(rules) {
            Ok(valid) => valid,
            Err(errors) => {
                keep_draft(input).await?;
                return Err(AppError::Invalid(errors));
            }
        };
        let taken = |number: u32| {
            let mut fields = FieldErrors::new();
            fields.add(
                "session_number",
                format!("Session {number} of this case already has a reflection; choose another number or open that one."),
            );
            AppError::Invalid(fields)
        };
        let owners_case = OwnersCase {
            owner: case.owner(),
            case: case.id,
        };
        let saved_id = match reflection_id {
            None => match database.insert_reflection(&cipher, owners_case, &valid, now_ms()).await {
                Ok(id) => id,
                Err(RepoError::Duplicate) => {
                    keep_draft(input).await?;
                    return Err(taken(valid.session_number));
                }
                Err(error) => return Err(error.into()),
            },
            Some(id) => {
                let expected = version
                    .ok_or_else(|| AppError::BadRequest("the version being edited is missing".to_string()))?;
                match database
                    .update_reflection(&cipher, owners_case, id, expected, &valid, now_ms())
                    .await
                {
                    Ok(UpdateOutcome::Saved { .. }) => id,
                    Ok(UpdateOutcome::Stale) => {
                        keep_draft(input).await?;
                        return Err(AppError::Conflict);
                    }
                    Ok(UpdateOutcome::Missing) => return Err(AppError::NotFound),
                    Err(RepoError::Duplicate) => {
                        keep_draft(input).await?;
                        return Err(taken(valid.session_number));
                    }
                    Err(error) => return Err(error.into()),
                }
            }
        };
        database.delete_draft(owner, case.id, reflection_id).await?;
        identifier_review::refresh_pending(&database, &cipher, &case, saved_id).await?;
        Ok(format!("{}?saved=1", reflection_path(case.id, saved_id)))
    }
    .await;
    answer_form(
        SaveReflection::PATH,
        FormPage {
            path: &editor,
            keep: &[("draft", "1")],
        },
        result,
    )
}

/// Keeps what is being typed (called by the editor as the therapist types).
/// Returns when it was kept, in Unix milliseconds. A copy recovered from the
/// browser names the key it was sealed with (`copy_key`): once the draft is
/// kept that key is forgotten, so the browser's copy can no longer be read.
#[server(endpoint = "reflections/keep-draft")]
pub async fn keep_draft(
    case_id: i64,
    reflection_id: Option<i64>,
    version: Option<i64>,
    reflection: ReflectionInput,
    copy_key: Option<i64>,
) -> Result<i64, AppError> {
    let Context {
        owner,
        database,
        cipher,
        case,
    } = context(case_id).await?;
    let reflection_id = reflection_id.map(ReflectionId);
    if let Some(id) = reflection_id {
        database
            .reflection_of(&cipher, owner, case.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let now = now_ms();
    let draft = NewDraft {
        owner,
        case: case.id,
        reflection: reflection_id,
        base_version: version,
        input: &reflection,
        now,
    };
    database.save_draft(&cipher, &draft).await?;
    if let Some(key) = copy_key {
        database.forget_browser_copy_key(owner, key).await?;
    }
    Ok(now)
}

/// Throws a draft away and returns, with `discarded=1`, to the editor, or
/// to `back` (a path on this site, such as the home page's list of drafts)
/// when the form came from there.
#[server(endpoint = "reflections/discard-draft")]
pub async fn discard_draft(
    case_id: i64,
    reflection_id: Option<i64>,
    back: Option<String>,
) -> Result<(), AppError> {
    let reflection_id = reflection_id.map(ReflectionId);
    let form_page = match back {
        Some(back) => local_path_or_home(Some(&back)),
        None => editor_path(CaseId(case_id), reflection_id),
    };
    let result = async {
        let Context {
            owner,
            database,
            case,
            ..
        } = context(case_id).await?;
        database.delete_draft(owner, case.id, reflection_id).await?;
        let separator = if form_page.contains('?') { '&' } else { '?' };
        Ok(format!("{form_page}{separator}discarded=1"))
    }
    .await;
    answer_form(
        DiscardDraft::PATH,
        FormPage {
            path: &form_page,
            keep: &[],
        },
        result,
    )
}

/// The asker's saved reflection, with the context it was reached through.
#[cfg(feature = "ssr")]
async fn my_reflection(
    case_id: i64,
    reflection_id: i64,
) -> Result<(Context, StoredReflection), AppError> {
    let context = context(case_id).await?;
    let stored = context
        .database
        .reflection_of(
            &context.cipher,
            context.owner,
            context.case.id,
            ReflectionId(reflection_id),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((context, stored))
}

#[server(endpoint = "reflections/get", input = leptos::server_fn::codec::GetUrl)]
pub async fn reflection_view(
    case_id: i64,
    reflection_id: i64,
) -> Result<StoredReflection, AppError> {
    let (_, stored) = my_reflection(case_id, reflection_id).await?;
    Ok(stored)
}

/// What the identifier check finds in a saved reflection: in the parts a
/// supervisor would read (each finding with whether it was confirmed) and,
/// marked for the author only, in the private parts.
#[server(endpoint = "reflections/identifiers", input = leptos::server_fn::codec::GetUrl)]
pub async fn identifiers_in_reflection(
    case_id: i64,
    reflection_id: i64,
) -> Result<ReflectionIdentifiers, AppError> {
    let (
        Context {
            database,
            cipher,
            case,
            ..
        },
        stored,
    ) = my_reflection(case_id, reflection_id).await?;
    identifier_review::review_own_reflection(&database, &cipher, &case, &stored).await
}

/// Everything the reading view of one of the author's reflections shows:
/// the reflection, the feedback on it (reading it marks it read) and what
/// the identifier check finds in it. The reflection is read and opened once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnReflectionView {
    pub stored: StoredReflection,
    pub feedback: ReflectionFeedback,
    pub identifiers: ReflectionIdentifiers,
}

#[server(endpoint = "reflections/page", input = leptos::server_fn::codec::GetUrl)]
pub async fn reflection_page(
    case_id: i64,
    reflection_id: i64,
) -> Result<OwnReflectionView, AppError> {
    let (
        Context {
            database,
            cipher,
            case,
            ..
        },
        stored,
    ) = my_reflection(case_id, reflection_id).await?;
    let feedback = feedback::for_owner(
        &database,
        &cipher,
        &case,
        stored.id,
        stored.version,
        now_ms(),
    )
    .await?;
    let identifiers =
        identifier_review::review_own_reflection(&database, &cipher, &case, &stored).await?;
    Ok(OwnReflectionView {
        stored,
        feedback,
        identifiers,
    })
}

/// The signed-in therapist's unsaved drafts.
#[server(endpoint = "reflections/drafts", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_drafts() -> Result<Vec<DraftSummary>, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    Ok(database.list_drafts(&cipher, signed_in.user.id).await?)
}

/// Searches the signed-in therapist's reflections. An empty query finds nothing.
#[server(endpoint = "reflections/search", input = leptos::server_fn::codec::GetUrl)]
pub async fn search_reflections(query: SearchInput) -> Result<SearchResults, AppError> {
    let signed_in = require_user()?;
    let owner = signed_in.user.id;
    let (database, cipher) = clinical_stores();
    let cases = database.list_cases(owner, None).await?;
    if query.is_empty() {
        return Ok(SearchResults {
            hits: Vec::new(),
            total: 0,
            page: 1,
            cases,
        });
    }
    let parsed = query.parse()?;
    if let Some(case) = parsed.case {
        if !cases.iter().any(|summary| summary.id == case) {
            let mut fields = FieldErrors::new();
            fields.add("case", "Choose one of your cases.");
            return Err(AppError::Invalid(fields));
        }
    }
    // Indexing what was saved since the last search opens those
    // reflections, and the page shown is opened: off the runtime's workers,
    // a bounded number at once, a few per account.
    let heavy_reads = expect_context::<crate::server::heavy_reads::HeavyReads>();
    let page = parsed.page;
    let (hits, total) = heavy_reads
        .run(owner, async move {
            crate::server::search::search_reflections(&database, &cipher, owner, &parsed).await
        })
        .await?;
    Ok(SearchResults {
        hits,
        total,
        page,
        cases,
    })
}
