//! What only the browser can do. A copy of unsaved typing is kept in local
//! storage for when the server cannot take it (an expired sign-in, no
//! network) or the tab closes first; it is handed to the server, and
//! removed, at the first chance. On the server these functions do nothing.

/// The storage key of one person's draft of one reflection.
pub fn draft_key(owner: i64, case: i64, reflection: Option<i64>) -> String {
    match reflection {
        Some(id) => format!("reverie-draft:{owner}:{case}:{id}"),
        None => format!("reverie-draft:{owner}:{case}:new"),
    }
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn remember(key: &str, value: &str) {
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
