//! Administrators' links to accounts: invitations and password-reset links.
//!
//! A new link's token is shown once, in the body of the page the
//! administrator who created it is sent to, and never in an address: the
//! redirect after creating a link names the link by kind and id
//! ([`NewLinkRef`]), which is no secret. Whoever opens a reset link can sign
//! in as that person, so the account's owner is told ([`ResetNotice`]).

use serde::{Deserialize, Serialize};

/// How long after creating a link its creator can see it (once).
pub const REVEAL_WINDOW_MS: i64 = 10 * 60 * 1000;

/// The query parameter of the admin page naming a just-created link.
pub const REVEALED_PARAMETER: &str = "revealed";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    Invitation,
    Reset,
}

impl LinkKind {
    fn as_str(self) -> &'static str {
        match self {
            LinkKind::Invitation => "invitation",
            LinkKind::Reset => "reset",
        }
    }

    /// The site path that uses a token of this kind.
    pub fn path(self, token: &str) -> String {
        match self {
            LinkKind::Invitation => format!("/invite/{token}"),
            LinkKind::Reset => format!("/reset/{token}"),
        }
    }
}

/// A just-created link, by kind and row id: `invitation-12`, `reset-7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLinkRef {
    pub kind: LinkKind,
    pub id: i64,
}

impl NewLinkRef {
    pub fn parse(text: &str) -> Option<Self> {
        let (kind, id) = text.trim().split_once('-')?;
        let kind = [LinkKind::Invitation, LinkKind::Reset]
            .into_iter()
            .find(|known| known.as_str() == kind)?;
        let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
        Some(NewLinkRef { kind, id })
    }

    /// The admin page showing this link once.
    pub fn admin_path(self) -> String {
        format!(
            "/admin?{REVEALED_PARAMETER}={}-{}",
            self.kind.as_str(),
            self.id
        )
    }
}

/// A link shown to its creator, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedLink {
    pub kind: LinkKind,
    /// The whole address, with the site's origin.
    pub url: String,
}

/// A password-reset link not yet used, revoked or expired, as an
/// administrator sees it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenResetLink {
    pub id: i64,
    /// The account it resets.
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// The administrator who created it (email).
    pub created_by: String,
}

/// What the owner of an account is told after their password was reset
/// through an administrator's link, until they dismiss it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetNotice {
    pub reset_id: i64,
    /// When the link was used (Unix ms).
    pub reset_at: i64,
    pub administrator_name: String,
    pub administrator_email: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_link_is_named_by_kind_and_id_only() {
        let invitation = NewLinkRef {
            kind: LinkKind::Invitation,
            id: 12,
        };
        assert_eq!(invitation.admin_path(), "/admin?revealed=invitation-12");
        assert_eq!(NewLinkRef::parse("invitation-12"), Some(invitation));
        assert_eq!(
            NewLinkRef::parse("reset-7"),
            Some(NewLinkRef {
                kind: LinkKind::Reset,
                id: 7
            })
        );
    }

    #[test]
    fn anything_else_names_no_link() {
        for text in [
            "",
            "reset",
            "reset-",
            "reset-0",
            "reset--3",
            "reset-x",
            "token-3",
            "invitation-1.5",
        ] {
            assert_eq!(NewLinkRef::parse(text), None, "{text}");
        }
    }

    #[test]
    fn tokens_go_to_their_pages() {
        assert_eq!(LinkKind::Invitation.path("abc"), "/invite/abc");
        assert_eq!(LinkKind::Reset.path("abc"), "/reset/abc");
    }
}
