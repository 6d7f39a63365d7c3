//! Text as people type it: one normal form for comparing, and no invisible
//! characters where a hidden difference could deceive (a case code that
//! looks like another, a watched name that escapes the check, an address
//! that is not the one it shows).

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The canonical composed form (NFC): "é" typed as one character or as "e"
/// and a combining accent becomes the same text.
pub fn normalized(text: &str) -> String {
    text.nfc().collect()
}

/// Whether `text` holds a character that shows nothing or changes how
/// what follows is shown: control characters and Unicode's format
/// characters (zero-width spaces and joiners, bidirectional overrides and
/// isolates, soft hyphens, tags).
pub fn has_hidden_characters(text: &str) -> bool {
    text.chars().any(is_hidden)
}

/// Whether `c` shows nothing or changes how what follows is shown (see
/// [`has_hidden_characters`]); line breaks and tabs count as hidden here.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || c.general_category() == GeneralCategory::Format
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_and_decomposed_letters_become_one_text() {
        assert_eq!(normalized("e\u{0301}lan"), "élan");
        assert_eq!(normalized("Zoe\u{0308}"), normalized("Zoë"));
        assert_eq!(normalized("C-07"), "C-07");
    }

    #[test]
    fn invisible_and_direction_changing_characters_are_found() {
        for hidden in [
            "Mar\u{200B}guerite",   // zero-width space
            "Mar\u{200C}guerite",   // zero-width non-joiner
            "Mar\u{200D}guerite",   // zero-width joiner
            "Mar\u{2060}guerite",   // word joiner
            "\u{FEFF}Marguerite",   // byte-order mark
            "Mar\u{00AD}guerite",   // soft hyphen
            "C-\u{202E}70",         // right-to-left override
            "C-\u{2067}07\u{2069}", // right-to-left isolate
            "C-07\u{E0041}",        // tag character
            "C-07\u{0007}",         // bell
            "C-07\n",
        ] {
            assert!(has_hidden_characters(hidden), "{hidden:?}");
        }
    }

    #[test]
    fn ordinary_text_in_any_script_is_not_hidden() {
        for plain in [
            "C-07",
            "Élan 2",
            "Zoë O'Neill",
            "Ωμέγα",
            "張偉",
            "حسن",
            "Ana María",
        ] {
            assert!(!has_hidden_characters(plain), "{plain}");
        }
    }
}
