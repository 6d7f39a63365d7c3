//! What only the browser can do. A copy of unsaved typing is kept in local
//! storage for when the server cannot take it (an expired sign-in, no
//! network) or the tab closes first, sealed with a key only the server
//! holds (see `crate::domain::browser_copy`); it is handed to the server,
//! and removed, at the first chance. On the server these functions do
//! nothing.

use crate::domain::browser_copy::{BrowserCopyKey, NONCE_LEN};

const DRAFT_KEY_PREFIX: &str = "reverie-draft:";

/// The storage key of one person's draft of one reflection.
pub fn draft_key(owner: i64, case: i64, reflection: Option<i64>) -> String {
    match reflection {
        Some(id) => format!("{DRAFT_KEY_PREFIX}{owner}:{case}:{id}"),
        None => format!("{DRAFT_KEY_PREFIX}{owner}:{case}:new"),
    }
}

/// Keeps `text` at `place` sealed with `key`; keeps nothing if the browser
/// cannot give random bytes (the server's draft stays the only copy).
pub fn remember_sealed(key: &BrowserCopyKey, place: &str, text: &str) {
    if let Some(sealed) = random_nonce().and_then(|nonce| key.seal(place, nonce, text)) {
        remember(place, &sealed);
    }
}

fn random_nonce() -> Option<[u8; NONCE_LEN]> {
    #[cfg(feature = "hydrate")]
    {
        let mut nonce = [0u8; NONCE_LEN];
        web_sys::window()?
            .crypto()
            .ok()?
            .get_random_values_with_u8_array(&mut nonce)
            .ok()?;
        Some(nonce)
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// The plaintext copies of drafts written before copies were sealed, as
/// (storage key, value): `owner`'s, or everyone's.
pub fn plain_copies(owner: Option<i64>) -> Vec<(String, String)> {
    let prefix = match owner {
        Some(owner) => format!("{DRAFT_KEY_PREFIX}{owner}:"),
        None => DRAFT_KEY_PREFIX.to_string(),
    };
    #[cfg(feature = "hydrate")]
    {
        let Some(storage) = storage() else {
            return Vec::new();
        };
        let count = storage.length().unwrap_or(0);
        (0..count)
            .filter_map(|index| storage.key(index).ok().flatten())
            .filter(|key| key.starts_with(&prefix))
            .filter_map(|key| {
                let value = storage.get_item(&key).ok().flatten()?;
                matches!(
                    crate::domain::browser_copy::StoredCopy::of(&value),
                    crate::domain::browser_copy::StoredCopy::Plain(_)
                )
                .then_some((key, value))
            })
            .collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = prefix;
        Vec::new()
    }
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Private: only sealed copies are written (see [`remember_sealed`]).
fn remember(key: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        // A full or disabled storage leaves the server copy as the only one.
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

pub fn recall(key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    return storage().and_then(|storage| storage.get_item(key).ok().flatten());
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

pub fn forget(key: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

/// Moves keyboard focus to the element with `id` once it is on the page.
pub fn focus_soon(id: String) {
    #[cfg(feature = "hydrate")]
    leptos::prelude::request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(element) = leptos::prelude::document()
            .get_element_by_id(&id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
