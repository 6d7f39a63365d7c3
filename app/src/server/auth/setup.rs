//! The one-time setup token: while no account exists, whoever can read the
//! server's log at start-up can create the first administrator.

use std::sync::{Arc, Mutex};

use subtle::ConstantTimeEq;

use super::tokens::{new_token, token_hash};

#[derive(Clone, Default)]
pub struct SetupGate {
    token_hash: Arc<Mutex<Option<String>>>,
}

impl SetupGate {
    /// A gate that opens with a new token, which the caller shows once.
    pub fn open() -> (Self, String) {
        let token = new_token();
        let gate = SetupGate {
            token_hash: Arc::new(Mutex::new(Some(token_hash(&token)))),
        };
        (gate, token)
    }

    /// A gate no token opens (the instance has accounts already).
    pub fn closed() -> Self {
        SetupGate::default()
    }

    pub fn accepts(&self, token: &str) -> bool {
        let expected = self
            .token_hash
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        expected.is_some_and(|expected| {
            bool::from(
                expected
                    .as_bytes()
                    .ct_eq(token_hash(token.trim()).as_bytes()),
            )
        })
    }

    pub fn close(&self) {
        *self
            .token_hash
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_printed_token_opens_the_gate_until_it_closes() {
        let (gate, token) = SetupGate::open();
        assert!(gate.accepts(&token));
        assert!(gate.accepts(&format!(" {token}\n")));
        assert!(!gate.accepts("guess"));
        assert!(!gate.accepts(""));
        gate.close();
        assert!(!gate.accepts(&token));
    }

    #[test]
    fn a_closed_gate_accepts_nothing() {
        assert!(!SetupGate::closed().accepts(""));
    }
}
