//! The editor's copy of unsaved typing in this browser's storage, sealed
//! with a key the server hands the open page (see
//! `crate::domain::browser_copy`): typing survives a closed tab or an
//! expired sign-in, and what stays on a shared computer cannot be read
//! without signing in as its author.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{
        browser_copies::{find_browser_copy_key, new_browser_copy_key},
        reflections::{keep_draft, KeepDraft},
    },
    components::browser::{forget, plain_copies, recall, remember_sealed},
    domain::browser_copy::{BrowserCopyKey, StoredCopy},
    error::AppError,
};

/// The sealed copy of one draft, kept under its storage key.
#[derive(Clone, Copy)]
pub struct BrowserCopy {
    place: StoredValue<String>,
    /// This page's key; `None` until the server handed it (and on the
    /// server).
    key: StoredValue<Option<BrowserCopyKey>>,
    /// What was typed before the key came, sealed as soon as it does.
    waiting: StoredValue<Option<String>>,
}

impl BrowserCopy {
    /// A copy kept at `place`; in the browser, asks the server for a key.
    pub fn new(place: String) -> Self {
        let copy = Self {
            place: StoredValue::new(place),
            key: StoredValue::new(None),
            waiting: StoredValue::new(None),
        };
        Effect::new(move |_| {
            spawn_local(async move {
                if let Ok(key) = new_browser_copy_key().await {
                    copy.key.set_value(Some(key));
                    if let Some(json) = copy.waiting.write_value().take() {
                        copy.seal(&json);
                    }
                }
            })
        });
        copy
    }

    /// Keeps `draft` in the browser, sealed (once the key is here).
    pub fn keep(&self, draft: &KeepDraft) {
        let Ok(json) = serde_json::to_string(draft) else {
            return;
        };
        if self.key.with_value(Option::is_some) {
            self.seal(&json);
        } else {
            self.waiting.set_value(Some(json));
        }
    }

    fn seal(&self, json: &str) {
        self.key.with_value(|key| {
            if let Some(key) = key {
                self.place
                    .with_value(|place| remember_sealed(key, place, json));
            }
        });
    }

    pub fn forget(&self) {
        self.waiting.set_value(None);
        self.place.with_value(|place| forget(place));
    }

    /// Sends a copy an earlier page left here to the server as a draft,
    /// removes it, and calls `recovered`. A copy whose key is gone (used,
    /// expired or another account's) can never be read and is removed; one
    /// the server cannot take now stays for next time.
    pub fn recover(self, recovered: impl Fn() + Clone + 'static) {
        Effect::new(move |_| {
            let place = self.place.get_value();
            let Some(stored) = recall(&place) else {
                return;
            };
            let recovered = recovered.clone();
            spawn_local(async move {
                let opened = match StoredCopy::of(&stored) {
                    StoredCopy::Plain(json) => Some((json.to_string(), None)),
                    StoredCopy::Sealed { key_id } => match find_browser_copy_key(key_id).await {
                        Ok(key) => key.open(&place, &stored).map(|json| (json, Some(key_id))),
                        Err(AppError::NotFound) => None,
                        Err(_) => return,
                    },
                };
                let Some((json, copy_key)) = opened else {
                    forget(&place);
                    return;
                };
                let Ok(draft) = serde_json::from_str::<KeepDraft>(&json) else {
                    forget(&place);
                    return;
                };
                if send(KeepDraft { copy_key, ..draft }).await.is_ok() {
                    forget(&place);
                    recovered();
                }
            });
        });
    }
}

/// Keeps `draft` on the server; with its `copy_key`, the server then
/// forgets that key.
pub async fn send(draft: KeepDraft) -> Result<i64, AppError> {
    let KeepDraft {
        case_id,
        reflection_id,
        version,
        reflection,
        copy_key,
    } = draft;
    keep_draft(case_id, reflection_id, version, reflection, copy_key).await
}

/// Plaintext copies written before copies were sealed go to the server as
/// drafts (each offered when its editor opens again) and are removed.
/// Only `owner`'s own: another account's would be refused.
pub fn send_plain_copies(owner: i64) {
    for (place, json) in plain_copies(Some(owner)) {
        spawn_local(async move {
            let Ok(draft) = serde_json::from_str::<KeepDraft>(&json) else {
                forget(&place);
                return;
            };
            if send(draft).await.is_ok() {
                forget(&place);
            }
        });
    }
}

/// At sign-out: no plaintext copy stays in this browser, whoever wrote it.
pub fn forget_plain_copies() {
    for (place, _) in plain_copies(None) {
        forget(&place);
    }
}
