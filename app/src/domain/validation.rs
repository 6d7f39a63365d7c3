//! Field-level validation results that travel back to the form that sent them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Messages keyed by the form field they concern (the field's `name`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One message for one field.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Records `message` for `field`, keeping the first message if the field
    /// already has one (the first problem found is the one to fix first).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    /// Runs a check and records its error under `field`; returns the value if valid.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.to_string());
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(field, message)| (field.as_str(), message.as_str()))
    }

    /// `Ok(())` when no field has an error.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_message_per_field_wins() {
        let mut errors = FieldErrors::new();
        errors.add("email", "Enter an email address.");
        errors.add("email", "Something else.");
        assert_eq!(errors.get("email"), Some("Enter an email address."));
        assert_eq!(errors.iter().count(), 1);
    }

    #[test]
    fn check_keeps_valid_values_and_records_errors() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.check::<_, String>("a", Ok(3)), Some(3));
        assert_eq!(errors.check::<i32, _>("b", Err("too short")), None);
        assert_eq!(errors.get("b"), Some("too short"));
        assert!(errors.into_result().is_err());
    }

    #[test]
    fn no_errors_is_ok() {
        assert_eq!(FieldErrors::new().into_result(), Ok(()));
    }
}
