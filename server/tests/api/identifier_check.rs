//! The identifier check where text reaches a supervisor (privacy rule 4):
//! the share step lists what could identify the client and waits until each
//! finding is fixed or confirmed; a confirmation is kept as a keyed
//! fingerprint, never the text, and lapses when the passage changes; a
//! reflection saved with a new finding is held from the supervisor until it
//! is fixed or confirmed; private parts are marked for the author and never
//! hold anything.

use app::{
    api::{reflections::OwnReflectionView, shares::ShareFormView},
    domain::{
        cases::CaseId,
        identifiers::{
            review::{pending_in, PassageReview, ReflectionIdentifiers, IDENTIFIERS_FIELD},
            IdentifierClass,
        },
        reflection::ReflectionId,
    },
};

use crate::{
    casework::{get_json, location, save_new_reflection},
    helpers::{app_error, count, everything_stored, TestApp},
    on_both_backends,
    sharing::{
        account, ids, marked_reflection, new_case, share_case, share_form, shared_reflection,
        shared_sessions, Account, SESSION_DATE,
    },
    sharing_feedback::{editing, save_changes},
};

const PHONE: &str = "617-555-0142";
/// A shared part naming a watched name (see `sharing::NAMES_TO_WATCH`) and
/// holding a phone number.
const ENACTMENT_WITH_IDENTIFIERS: &str = "Ottoline rang me from 617-555-0142 after the session.";

fn preview_query(case: CaseId) -> Vec<(String, String)> {
    share_form(case, "sam@example.org")
        .fields()
        .into_iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

async fn preview_findings(app: &TestApp, owner: &Account, case: CaseId) -> Vec<PassageReview> {
    let query = preview_query(case);
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let form: ShareFormView = get_json(app, &owner.client, "/api/shares/form", &query).await;
    form.preview
        .expect("a preview")
        .expect("a valid form")
        .identifiers
}

async fn reflection_findings(
    app: &TestApp,
    owner: &Account,
    case: CaseId,
    reflection: ReflectionId,
) -> ReflectionIdentifiers {
    let findings: ReflectionIdentifiers = get_json(
        app,
        &owner.client,
        "/api/reflections/identifiers",
        &ids(case, reflection).fields(),
    )
    .await;
    // The reading view shows the same, from the reflection it opened once.
    let page: OwnReflectionView = get_json(
        app,
        &owner.client,
        "/api/reflections/page",
        &ids(case, reflection).fields(),
    )
    .await;
    assert_eq!(page.identifiers, findings);
    findings
}

/// Confirms findings from the share step, as its form does with JavaScript.
async fn confirm(
    app: &TestApp,
    owner: &Account,
    case: CaseId,
    fingerprints: &[&str],
) -> reqwest::Response {
    let mut form = share_form(case, "sam@example.org")
        .fields()
        .into_iter()
        .filter(|(name, _)| *name != "case_id")
        .map(|(name, value)| {
            (
                name.replacen("share[", "back[share][", 1),
                value.to_string(),
            )
        })
        .collect::<Vec<_>>();
    form.push(("case_id".to_string(), case.0.to_string()));
    for fingerprint in fingerprints {
        form.push(("confirmed[]".to_string(), fingerprint.to_string()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    app.post_form_with(&owner.client, "/api/shares/confirm-identifiers", &form)
        .await
}

async fn try_to_share(app: &TestApp, owner: &Account, case: CaseId) -> reqwest::Response {
    app.post_form_with(
        &owner.client,
        "/api/shares/create",
        &share_form(case, "sam@example.org").fields(),
    )
    .await
}

fn classes(passages: &[PassageReview]) -> Vec<(IdentifierClass, bool)> {
    passages
        .iter()
        .flat_map(|p| p.findings.iter().map(|f| (f.class, f.confirmed)))
        .collect()
}

fn fingerprint_of(passages: &[PassageReview], class: IdentifierClass) -> String {
    passages
        .iter()
        .flat_map(|p| &p.findings)
        .find(|f| f.class == class)
        .unwrap_or_else(|| panic!("no {class:?} finding"))
        .fingerprint
        .clone()
}

on_both_backends! {
    async fn sharing_waits_until_each_finding_is_fixed_or_confirmed(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let _sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        let case = new_case(&app, &tess.client, "C-07").await;
        let mut input = marked_reflection(1, SESSION_DATE);
        input.enactment = ENACTMENT_WITH_IDENTIFIERS.to_string();
        // Private parts are never shared, so they are not checked for sharing.
        input.private_notes = format!("Her number is {PHONE}.");
        let reflection = save_new_reflection(&app, &tess.client, case, &input).await;

        // The preview marks both findings in the enactment, where they are.
        let found = preview_findings(&app, &tess, case).await;
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].label, "Enactment");
        assert_eq!(found[0].reflection, reflection);
        assert_eq!(classes(&found), [(IdentifierClass::Name, false), (IdentifierClass::Phone, false)]);
        let spans: Vec<(usize, usize)> = found[0].findings.iter().map(|f| (f.start, f.end)).collect();
        assert_eq!(spans, [(0, 8), (22, 34)]);

        // Sharing is refused while any is pending, at the identifiers field.
        let response = try_to_share(&app, &tess, case).await;
        assert_eq!(response.status(), 422);
        let message = app_error(response).await.field(IDENTIFIERS_FIELD).expect("a message");
        assert!(message.starts_with("2 possible identifiers"), "{message}");

        // Confirming the phone number leaves the name pending.
        let phone = fingerprint_of(&found, IdentifierClass::Phone);
        let response = confirm(&app, &tess, case, &[&phone]).await;
        assert_eq!(response.status(), 200);
        let back = location(&response);
        assert!(back.starts_with(&format!("/cases/{}/share?confirmed=", case.0)), "{back}");
        assert!(back.contains("share%5Bsupervisor_email%5D=sam%40example.org"), "{back}");
        let found = preview_findings(&app, &tess, case).await;
        assert_eq!(classes(&found), [(IdentifierClass::Name, false), (IdentifierClass::Phone, true)]);
        assert_eq!(try_to_share(&app, &tess, case).await.status(), 422);

        // Fixing the name changes the passage, so the phone is asked about again.
        input.enactment = "She rang me from 617-555-0142 after the session.".to_string();
        let (_, mut edited) = editing(&app, &tess.client, case, reflection).await;
        edited.enactment = input.enactment.clone();
        save_changes(&app, &tess.client, case, reflection, &edited).await;
        let found = preview_findings(&app, &tess, case).await;
        assert_eq!(classes(&found), [(IdentifierClass::Phone, false)]);
        assert_ne!(fingerprint_of(&found, IdentifierClass::Phone), phone);

        let phone = fingerprint_of(&found, IdentifierClass::Phone);
        assert_eq!(confirm(&app, &tess, case, &[&phone]).await.status(), 200);
        assert_eq!(pending_in(&preview_findings(&app, &tess, case).await), 0);
        share_case(&app, &tess.client, case, "sam@example.org", &[]).await;

        // What is stored of a confirmation is a keyed fingerprint only.
        assert_eq!(count(&app, "identifier_confirmations").await, 2);
        for (place, value) in everything_stored(&app.database).await {
            if place.starts_with("identifier_confirmations") {
                assert!(!value.contains("617") && !value.contains("She rang"), "{place}: {value}");
            }
        }
    }

    async fn a_new_finding_saved_into_shared_text_holds_the_reflection_until_confirmed(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        let case = new_case(&app, &tess.client, "C-07").await;
        let reflection = save_new_reflection(&app, &tess.client, case, &marked_reflection(1, SESSION_DATE)).await;
        share_case(&app, &tess.client, case, "sam@example.org", &[]).await;
        assert_eq!(shared_sessions(&app, &sam.client, case).await, [reflection]);

        // A phone number in a private part holds nothing: it is never shared.
        let (_, mut edited) = editing(&app, &tess.client, case, reflection).await;
        edited.private_notes = format!("Her new number: {PHONE}.");
        save_changes(&app, &tess.client, case, reflection, &edited).await;
        assert_eq!(shared_sessions(&app, &sam.client, case).await, [reflection]);
        let mine = reflection_findings(&app, &tess, case, reflection).await;
        assert!(mine.shared.is_empty(), "{mine:?}");
        assert_eq!(mine.private.len(), 1);
        assert_eq!(mine.private[0].label, "Private notes");

        // The same number in a shared part holds the reflection from Sam.
        let (_, mut edited) = editing(&app, &tess.client, case, reflection).await;
        edited.enactment = ENACTMENT_WITH_IDENTIFIERS.to_string();
        save_changes(&app, &tess.client, case, reflection, &edited).await;
        assert!(shared_sessions(&app, &sam.client, case).await.is_empty());
        let response = crate::casework::get_with(&app, &sam.client, "/api/supervision/reflection", &ids(case, reflection).fields()).await;
        assert_eq!(response.status(), 404, "a held reflection is not found by its supervisor");

        // Tess sees what holds it and confirms; Sam sees the reflection again.
        let mine = reflection_findings(&app, &tess, case, reflection).await;
        assert_eq!(classes(&mine.shared), [(IdentifierClass::Name, false), (IdentifierClass::Phone, false)]);
        let fingerprints: Vec<String> = mine.shared.iter().flat_map(|p| &p.findings).map(|f| f.fingerprint.clone()).collect();
        let mut form = ids(case, reflection).fields().into_iter().filter(|(n, _)| *n == "case_id").map(|(n, v)| (n.to_string(), v.to_string())).collect::<Vec<_>>();
        form.push(("back[reflection_id]".to_string(), reflection.0.to_string()));
        for fingerprint in &fingerprints {
            form.push(("confirmed[]".to_string(), fingerprint.clone()));
        }
        let form: Vec<(&str, &str)> = form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let response = app.post_form_with(&tess.client, "/api/shares/confirm-identifiers", &form).await;
        assert_eq!(response.status(), 200);
        let back = location(&response);
        assert!(back.starts_with(&format!("/cases/{}/reflections/{}?confirmed=", case.0, reflection.0)), "{back}");
        assert_eq!(shared_sessions(&app, &sam.client, case).await, [reflection]);
        assert_eq!(shared_reflection(&app, &sam.client, case, reflection).await.reflection.enactment, ENACTMENT_WITH_IDENTIFIERS);
    }

    async fn only_current_findings_of_ones_own_case_can_be_confirmed(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let _sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        let other = account(&app, "otto@example.org", "Otto Other").await;
        let case = new_case(&app, &tess.client, "C-07").await;
        let mut input = marked_reflection(1, SESSION_DATE);
        input.enactment = ENACTMENT_WITH_IDENTIFIERS.to_string();
        save_new_reflection(&app, &tess.client, case, &input).await;
        let found = preview_findings(&app, &tess, case).await;
        let phone = fingerprint_of(&found, IdentifierClass::Phone);

        // Someone else's confirmation of Tess's finding: as if the case did not exist.
        let response = confirm(&app, &other, case, &[&phone]).await;
        assert_eq!(response.status(), 404);
        // A fingerprint of nothing in the case is not stored.
        assert_eq!(confirm(&app, &tess, case, &["0".repeat(64).as_str()]).await.status(), 200);
        assert_eq!(count(&app, "identifier_confirmations").await, 0);
        assert_eq!(pending_in(&preview_findings(&app, &tess, case).await), 2);
    }
}
