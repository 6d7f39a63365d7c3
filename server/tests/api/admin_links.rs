//! Administrators' links to accounts over HTTP: a new link's token never
//! travels in an address (a `Location`, the page's URL) and is shown once,
//! in the page body, to its creator only; a newer reset link replaces the
//! older; links can be revoked; the owner of a reset account is told and
//! sees it in their account's activity.

use app::error::AppError;

use crate::{
    helpers::{app_error, everything_stored, execute_with, TestApp, GOOD_PASSWORD},
    on_both_backends,
};

const NEW_PASSWORD: &str = "quiet harbour lemon typewriter";
const RESET_NOTICE: &str = "Your password was reset through a link from an administrator.";
const SHOWN_ONCE: &str = "This link was shown once and is not shown again.";

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_string()
}

/// The `revealed` value of the admin page a link's creator is sent to: the
/// link's kind and id, nothing else.
fn revealed_of(response: &reqwest::Response) -> String {
    let location = location(response);
    let revealed = location
        .strip_prefix("/admin?revealed=")
        .unwrap_or_else(|| panic!("sent to the admin page naming the link: {location}"));
    assert!(
        revealed.starts_with("invitation-") || revealed.starts_with("reset-"),
        "{location}"
    );
    assert!(
        revealed.split('-').nth(1).unwrap().parse::<i64>().is_ok(),
        "{location}"
    );
    revealed.to_string()
}

/// The token in a page's body after `/invite/` or `/reset/`, if any.
fn token_in(body: &str, page: &str) -> Option<String> {
    let start = body.find(page)? + page.len();
    let token: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (token.len() == 43).then_some(token)
}

/// The token of the link just created by a post as with JavaScript: in the
/// answer's body, the only time it is shown; never in a `Location`.
pub async fn token_of_new_link(created: reqwest::Response) -> String {
    assert_eq!(created.status(), 200);
    assert!(
        created.headers().get("location").is_none(),
        "no redirect names the link"
    );
    let link: serde_json::Value = serde_json::from_str(&created.text().await.unwrap()).unwrap();
    let url = link["url"]
        .as_str()
        .unwrap_or_else(|| panic!("the link is shown: {link}"));
    url.rsplit('/').next().unwrap().to_string()
}

async fn reset_with(app: &TestApp, token: &str) -> reqwest::Response {
    let reset = [
        ("token", token),
        ("password", NEW_PASSWORD),
        ("password_confirm", NEW_PASSWORD),
    ];
    app.post_form_with(&app.new_client(), "/api/auth/reset-password", &reset)
        .await
}

async fn actions(app: &TestApp) -> Vec<&'static str> {
    app.database
        .recent_audit_events(100)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.action.as_str())
        .collect()
}

on_both_backends! {
    async fn a_new_link_is_shown_once_to_its_creator_and_never_in_an_address(app: app) {
        app.signed_in_admin().await;
        let other_admin = app.create_user("bea@example.org", "Bea Admin", GOOD_PASSWORD, true).await;
        let other_browser = app.new_client();
        app.sign_in_with(&other_browser, &other_admin.email, GOOD_PASSWORD).await;
        let ben = app.create_user("ben@example.org", "Ben", GOOD_PASSWORD, false).await;

        for (form, fields, page) in [
            ("/api/admin/invite", vec![("email", "cleo@example.org".to_string())], "/invite/"),
            ("/api/admin/reset-link", vec![("user_id", ben.id.0.to_string())], "/reset/"),
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (*name, value.as_str())).collect();
            // Without JavaScript: the browser follows the redirect itself.
            let created = app.post_plain_form(form, &fields).await;
            assert_eq!(created.status(), 302, "{form}");
            let revealed = revealed_of(&created);
            let redirect = location(&created);
            let created_body = created.text().await.unwrap();
            assert_eq!(token_in(&created_body, page), None, "{form}");

            // Not kept readable in the database either: hashed, and sealed.
            let stored = everything_stored(&app.database).await;

            // Another administrator gets nothing, and takes nothing away.
            let theirs = other_browser.get(app.url(&redirect)).send().await.unwrap();
            assert_eq!(theirs.status(), 200);
            let theirs = theirs.text().await.unwrap();
            assert_eq!(token_in(&theirs, page), None, "{form}: only its creator sees a link");
            let asked = other_browser.get(app.url(&format!("/api/admin/new-link?revealed={revealed}"))).send().await.unwrap();
            assert_eq!(asked.text().await.unwrap(), "null");

            // Its creator sees it once, in the page's body.
            let shown = app.get(&redirect).await;
            assert_eq!(shown.status(), 200);
            assert!(shown.headers().get("location").is_none());
            let shown = shown.text().await.unwrap();
            let token = token_in(&shown, page).unwrap_or_else(|| panic!("{form}: the link is in the page"));
            assert!(!redirect.contains(&token));
            assert!(!revealed.contains(&token));
            assert!(stored.iter().all(|(_, value)| !value.contains(&token)), "{form}: the token is stored only hashed and sealed");

            let again = app.get(&redirect).await.text().await.unwrap();
            assert_eq!(token_in(&again, page), None, "{form}: shown once");
            assert!(again.contains(SHOWN_ONCE), "{form}");
            let asked = app.get(&format!("/api/admin/new-link?revealed={revealed}")).await;
            assert_eq!(asked.text().await.unwrap(), "null");
            // Nothing of it is left to reveal.
            let left = everything_stored(&app.database).await;
            assert!(left.iter().all(|(place, _)| !place.ends_with(".token_sealed")), "{left:?}");

            // The link works.
            if page == "/invite/" {
                let email = app.new_client().get(app.url(&format!("/api/auth/invitation?token={token}"))).send().await.unwrap();
                assert_eq!(email.text().await.unwrap(), r#""cleo@example.org""#);
            } else {
                assert_eq!(reset_with(&app, &token).await.status(), 200);
                assert_eq!(app.sign_in_with(&app.new_client(), "ben@example.org", NEW_PASSWORD).await.status(), 200);
            }
        }
    }

    async fn with_javascript_the_link_is_in_the_answer_once_and_nowhere_else(app: app) {
        app.signed_in_admin().await;
        let created = app.post_form("/api/admin/invite", &[("email", "cleo@example.org")]).await;
        let token = token_of_new_link(created).await;
        // Its sealed copy is gone: no page shows it again.
        let left = everything_stored(&app.database).await;
        assert!(left.iter().all(|(place, _)| !place.ends_with(".token_sealed")), "{left:?}");
        for path in ["/admin", "/admin?revealed=invitation-1", "/api/admin/new-link?revealed=invitation-1"] {
            let page = app.get(path).await.text().await.unwrap();
            assert!(!page.contains(&token), "{path}");
        }
        let email = app.new_client().get(app.url(&format!("/api/auth/invitation?token={token}"))).send().await.unwrap();
        assert_eq!(email.text().await.unwrap(), r#""cleo@example.org""#);
    }

    async fn a_link_not_seen_within_minutes_is_never_shown(app: app) {
        app.signed_in_admin().await;
        let created = app.post_plain_form("/api/admin/invite", &[("email", "cleo@example.org")]).await;
        let revealed = revealed_of(&created);
        execute_with(&app.database, "UPDATE invitations SET reveal_until = $1", app::server::auth::now_ms() - 1).await;
        let asked = app.get(&format!("/api/admin/new-link?revealed={revealed}")).await;
        assert_eq!(asked.text().await.unwrap(), "null");
        let left = everything_stored(&app.database).await;
        assert!(left.iter().all(|(place, _)| !place.ends_with(".token_sealed")), "{left:?}");
    }

    async fn a_new_reset_link_replaces_the_unused_one(app: app) {
        app.signed_in_admin().await;
        let ben = app.create_user("ben@example.org", "Ben", GOOD_PASSWORD, false).await;
        let user_id = ben.id.0.to_string();
        let first = token_of_new_link(app.post_form("/api/admin/reset-link", &[("user_id", &user_id)]).await).await;
        let second = token_of_new_link(app.post_form("/api/admin/reset-link", &[("user_id", &user_id)]).await).await;
        let error = app_error(reset_with(&app, &first).await).await;
        assert!(matches!(&error, AppError::Refused(message) if message.contains("no longer valid")), "{error:?}");
        assert_eq!(reset_with(&app, &second).await.status(), 200);
        assert_eq!(actions(&app).await.iter().filter(|action| **action == "reset_link.revoked").count(), 1);
        // Only the newer one was ever listed as open, and now neither is.
        let overview: serde_json::Value = serde_json::from_str(&app.get("/api/admin/accounts").await.text().await.unwrap()).unwrap();
        assert_eq!(overview["reset_links"].as_array().unwrap().len(), 0);
    }

    async fn a_revoked_link_no_longer_works(app: app) {
        app.signed_in_admin().await;
        let ben = app.create_user("ben@example.org", "Ben", GOOD_PASSWORD, false).await;
        let reset_token = token_of_new_link(app.post_form("/api/admin/reset-link", &[("user_id", &ben.id.0.to_string())]).await).await;
        let invitation_token = token_of_new_link(app.post_form("/api/admin/invite", &[("email", "cleo@example.org")]).await).await;
        let overview: serde_json::Value = serde_json::from_str(&app.get("/api/admin/accounts").await.text().await.unwrap()).unwrap();
        let reset_id = overview["reset_links"][0]["id"].as_i64().unwrap().to_string();
        assert_eq!(overview["reset_links"][0]["email"], "ben@example.org");
        let invitation_id = overview["invitations"][0]["id"].as_i64().unwrap().to_string();

        // The admin page offers both, as forms that work without JavaScript.
        let page = app.get("/admin").await.text().await.unwrap();
        assert!(page.contains(r#"action="/api/admin/revoke-reset-link""#) && page.contains(r#"action="/api/admin/revoke-invitation""#), "{page}");

        // Nobody else can revoke them.
        let ben_browser = app.new_client();
        app.sign_in_with(&ben_browser, "ben@example.org", GOOD_PASSWORD).await;
        assert_eq!(app.post_form_with(&ben_browser, "/api/admin/revoke-reset-link", &[("reset_id", &reset_id)]).await.status(), 404);

        let revoked = app.post_plain_form("/api/admin/revoke-reset-link", &[("reset_id", &reset_id)]).await;
        assert_eq!(revoked.status(), 302);
        assert_eq!(location(&revoked), "/admin");
        let revoked = app.post_plain_form("/api/admin/revoke-invitation", &[("invitation_id", &invitation_id)]).await;
        assert_eq!(revoked.status(), 302);

        assert!(matches!(app_error(reset_with(&app, &reset_token).await).await, AppError::Refused(_)));
        let invitee = app.new_client();
        assert_eq!(invitee.get(app.url(&format!("/api/auth/invitation?token={invitation_token}"))).send().await.unwrap().status(), 404);
        let accept = [("token", invitation_token.as_str()), ("display_name", "Cleo"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
        assert!(matches!(app_error(app.post_form_with(&invitee, "/api/auth/accept-invitation", &accept).await).await, AppError::Refused(_)));

        // Revoking twice finds nothing; both revocations are logged.
        assert_eq!(app.post_form("/api/admin/revoke-reset-link", &[("reset_id", &reset_id)]).await.status(), 404);
        let actions = actions(&app).await;
        assert!(actions.contains(&"reset_link.revoked") && actions.contains(&"invitation.revoked"), "{actions:?}");
        let page = app.get("/admin").await.text().await.unwrap();
        assert!(page.contains("Revoked "), "the invitation shows as revoked");
        assert!(!page.contains(r#"action="/api/admin/revoke-invitation""#));
    }

    async fn the_owner_is_told_of_a_reset_until_they_dismiss_it(app: app) {
        app.signed_in_admin().await;
        let ben = app.create_user("ben@example.org", "Ben", GOOD_PASSWORD, false).await;
        let cleo = app.create_user("cleo@example.org", "Cleo", GOOD_PASSWORD, false).await;
        let token = token_of_new_link(app.post_form("/api/admin/reset-link", &[("user_id", &ben.id.0.to_string())]).await).await;
        assert_eq!(reset_with(&app, &token).await.status(), 200);

        let ben_browser = app.new_client();
        assert_eq!(app.sign_in_with(&ben_browser, "ben@example.org", NEW_PASSWORD).await.status(), 200);
        let home = ben_browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains(RESET_NOTICE), "{home}");
        assert!(home.contains("Ada Admin (admin@example.org)"), "which administrator");
        let account = ben_browser.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
        assert!(account.contains(RESET_NOTICE));

        // Ben's activity lists the reset (who created the link, and its use).
        let activity: serde_json::Value = serde_json::from_str(&ben_browser.get(app.url("/api/account/activity")).send().await.unwrap().text().await.unwrap()).unwrap();
        let events = activity.as_array().unwrap();
        let of = |action: &str| events.iter().filter(|event| event["action"] == action).collect::<Vec<_>>();
        assert_eq!(of("ResetLinkCreated").len(), 1);
        assert_eq!(of("ResetLinkCreated")[0]["actor"], "admin@example.org");
        assert_eq!(of("ResetLinkUsed").len(), 1);
        assert_eq!(of("SignInSucceeded").len(), 1, "Ben's own sign-in, not the administrator's");
        assert!(account.contains("Account activity") && account.contains("Password reset link used"), "{account}");
        assert!(account.contains("Administrator admin@example.org"));

        // Cleo sees neither Ben's notice nor can she dismiss it.
        let cleo_browser = app.new_client();
        app.sign_in_with(&cleo_browser, &cleo.email, GOOD_PASSWORD).await;
        assert!(!cleo_browser.get(app.url("/")).send().await.unwrap().text().await.unwrap().contains(RESET_NOTICE));
        let notices: serde_json::Value = serde_json::from_str(&ben_browser.get(app.url("/api/account/reset-notices")).send().await.unwrap().text().await.unwrap()).unwrap();
        let reset_id = notices[0]["reset_id"].as_i64().unwrap().to_string();
        let dismiss = [("reset_id", reset_id.as_str()), ("back", "/")];
        assert_eq!(app.post_form_with(&cleo_browser, "/api/account/dismiss-reset-notice", &dismiss).await.status(), 404);
        let cleo_activity = cleo_browser.get(app.url("/api/account/activity")).send().await.unwrap().text().await.unwrap();
        assert!(!cleo_activity.contains("ben@example.org") && !cleo_activity.contains("Reset"), "{cleo_activity}");

        // The notice stays until Ben dismisses it, without JavaScript here.
        let again = ben_browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(again.contains(RESET_NOTICE));
        let dismissed = app.post_plain_form_with(&ben_browser, "/api/account/dismiss-reset-notice", &dismiss).await;
        assert_eq!(dismissed.status(), 302);
        assert_eq!(location(&dismissed), "/");
        let home = ben_browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(!home.contains(RESET_NOTICE), "dismissed");
        let activity = ben_browser.get(app.url("/api/account/activity")).send().await.unwrap().text().await.unwrap();
        assert!(activity.contains("ResetLinkUsed"), "the activity still lists the reset");
    }
}
