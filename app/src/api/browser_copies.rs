//! Keys for the editor's copy of unsaved typing kept in the browser (see
//! `crate::domain::browser_copy`). Each signed-in editor page asks for a new
//! key when it opens; a copy found later is opened with its own key, which
//! only its account can fetch.

#[cfg(feature = "ssr")]
use crate::server::{
    access::clinical_stores,
    auth::{now_ms, require_user},
};
use crate::{domain::browser_copy::BrowserCopyKey, error::AppError};
use leptos::prelude::*;

/// A new key for this page's copies.
#[server(endpoint = "browser-copies/new-key")]
pub async fn new_browser_copy_key() -> Result<BrowserCopyKey, AppError> {
    use crate::domain::browser_copy::KEY_LEN;
    use rand::RngCore;

    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let mut bytes = [0u8; KEY_LEN];
    rand::rng().fill_bytes(&mut bytes);
    Ok(database
        .create_browser_copy_key(&cipher, signed_in.user.id, &bytes, now_ms())
        .await?)
}

/// Key `id`, for the account it was made for; 404 for anyone else and once
/// it was forgotten or expired.
#[server(endpoint = "browser-copies/key")]
pub async fn find_browser_copy_key(id: i64) -> Result<BrowserCopyKey, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    database
        .browser_copy_key(&cipher, signed_in.user.id, id, now_ms())
        .await?
        .ok_or(AppError::NotFound)
}
