//! Administrators' links to accounts: invitations and password-reset links.
//! A new link is shown once, in a page's body, to its creator, never in an
//! address (see `answer_new_link`); an unused link can be revoked. Administrators only: anyone else gets "not found".

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::{
        api::admin::site_origin,
        domain::{
            accounts::{Email, UserId},
            admin_links::{LinkKind, NewLinkRef},
            validation::FieldErrors,
        },
        server::{
            admin_links::{self, LinkContext},
            auth::{now_ms, request_meta, require_admin, Authenticated, RequestMeta},
            crypto::FieldCipher,
            forms::{answer_form, is_plain_form_post, FormPage},
            repo::Database,
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{domain::admin_links::RevealedLink, error::AppError};

/// What a link workflow needs from the request in hand.
#[cfg(feature = "ssr")]
struct Asked {
    admin: Authenticated,
    database: Database,
    cipher: FieldCipher,
    meta: RequestMeta,
    now: i64,
}

#[cfg(feature = "ssr")]
impl Asked {
    fn by_admin() -> Result<Self, AppError> {
        Ok(Asked {
            admin: require_admin()?,
            database: expect_context::<Database>(),
            cipher: expect_context::<FieldCipher>(),
            meta: request_meta(),
            now: now_ms(),
        })
    }

    fn context(&self) -> LinkContext<'_> {
        LinkContext {
            database: &self.database,
            cipher: &self.cipher,
            meta: &self.meta,
            administrator: self.admin.user.id,
            now: self.now,
        }
    }
}

/// Creates a single-use invitation link for `email`, shown once (see
/// `answer_new_link`).
#[server(endpoint = "admin/invite")]
pub async fn invite(email: String) -> Result<Option<RevealedLink>, AppError> {
    let result = async {
        let asked = Asked::by_admin()?;
        let mut fields = FieldErrors::new();
        let parsed = fields.check("email", Email::parse(&email));
        fields.into_result()?;
        let email = parsed.expect("checked above");
        if asked
            .database
            .find_credentials(email.as_str())
            .await?
            .is_some()
        {
            let mut fields = FieldErrors::new();
            fields.add(
                "email",
                "An account with this email address exists already.",
            );
            return Err(fields.into());
        }
        let link = admin_links::create_invitation(&asked.context(), email.as_str()).await?;
        Ok((asked, link))
    }
    .await;
    answer_new_link(
        Invite::PATH,
        FormPage {
            path: "/admin",
            keep: &[("email", email.as_str())],
        },
        result,
    )
    .await
}

/// Creates a single-use password-reset link for an account (the earlier
/// unused one stops working), shown once (see `answer_new_link`).
#[server(endpoint = "admin/reset-link")]
pub async fn create_reset_link(user_id: i64) -> Result<Option<RevealedLink>, AppError> {
    let result = async {
        let asked = Asked::by_admin()?;
        let target = asked
            .database
            .find_user(UserId(user_id))
            .await?
            .ok_or(AppError::NotFound)?;
        let link =
            admin_links::create_reset_link(&asked.context(), target.id, &target.email).await?;
        Ok((asked, link))
    }
    .await;
    answer_new_link(
        CreateResetLink::PATH,
        FormPage {
            path: "/admin",
            keep: &[],
        },
        result,
    )
    .await
}

/// Shows a just-created link once, never in an address. A browser's own
/// form post (no JavaScript) is sent to the admin page naming the link
/// (`/admin?revealed=invitation-12`), which takes it from its sealed copy
/// (`new_link`); a post through `fetch` (JavaScript) gets the link in the
/// answer's body at once (and its sealed copy is erased): the page then
/// needs no second request that a re-render could repeat.
#[cfg(feature = "ssr")]
async fn answer_new_link(
    server_fn_path: &str,
    form: FormPage<'_>,
    result: Result<(Asked, NewLinkRef), AppError>,
) -> Result<Option<RevealedLink>, AppError> {
    match result {
        Ok((_, link)) if is_plain_form_post() => {
            leptos_axum::redirect(&link.admin_path());
            Ok(None)
        }
        Ok((asked, link)) => reveal(&asked, link).await,
        Err(error) => answer_form(server_fn_path, form, Err(error)).map(|()| None),
    }
}

#[cfg(feature = "ssr")]
async fn reveal(asked: &Asked, link: NewLinkRef) -> Result<Option<RevealedLink>, AppError> {
    let token = admin_links::take_new_link(&asked.context(), link).await?;
    Ok(token.map(|token| RevealedLink {
        kind: link.kind,
        url: format!("{}{}", site_origin(), link.kind.path(&token)),
    }))
}

/// The link named by `revealed` (`invitation-12`), once, to the
/// administrator who just created it; nothing for anyone else, a second
/// time, or after a few minutes.
#[server(endpoint = "admin/new-link", input = leptos::server_fn::codec::GetUrl)]
pub async fn new_link(revealed: String) -> Result<Option<RevealedLink>, AppError> {
    let asked = Asked::by_admin()?;
    let Some(link) = NewLinkRef::parse(&revealed) else {
        return Ok(None);
    };
    reveal(&asked, link).await
}

#[server(endpoint = "admin/revoke-invitation")]
pub async fn revoke_invitation(invitation_id: i64) -> Result<(), AppError> {
    let result = revoke(LinkKind::Invitation, invitation_id).await;
    answer_form(
        RevokeInvitation::PATH,
        FormPage {
            path: "/admin",
            keep: &[],
        },
        result,
    )
}

#[server(endpoint = "admin/revoke-reset-link")]
pub async fn revoke_reset_link(reset_id: i64) -> Result<(), AppError> {
    let result = revoke(LinkKind::Reset, reset_id).await;
    answer_form(
        RevokeResetLink::PATH,
        FormPage {
            path: "/admin",
            keep: &[],
        },
        result,
    )
}

#[cfg(feature = "ssr")]
async fn revoke(kind: LinkKind, id: i64) -> Result<String, AppError> {
    let asked = Asked::by_admin()?;
    admin_links::revoke(&asked.context(), NewLinkRef { kind, id }).await?;
    Ok("/admin".to_string())
}
