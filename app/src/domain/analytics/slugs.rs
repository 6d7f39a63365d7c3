//! Serde glue that writes vocabulary choices as their slugs.
//!
//! The vocabulary enums' own serde names are their variant names in
//! snake_case, which differ from the slugs for the CCRT clusters (`be_loved`
//! against `w_loved`). The analytics are downloaded as JSON and read next to
//! the stored data, so they must speak slugs: use these with
//! `#[serde(with = "…")]`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::vocabulary::{
    ClientResponse, EpisodeWhen, InterventionKind, ReactionDimension, ResponseOfOther,
    ResponseOfSelf, Wish,
};

pub trait Slug: Copy + Ord + Sized + 'static {
    fn slug(self) -> &'static str;
    fn parse(slug: &str) -> Option<Self>;
}

macro_rules! slugged {
    ($($vocabulary:ty),+ $(,)?) => {
        $(impl Slug for $vocabulary {
            fn slug(self) -> &'static str {
                <$vocabulary>::slug(self)
            }
            fn parse(slug: &str) -> Option<Self> {
                <$vocabulary>::parse(slug)
            }
        })+
    };
}

slugged!(
    ReactionDimension,
    InterventionKind,
    ClientResponse,
    EpisodeWhen,
    Wish,
    ResponseOfOther,
    ResponseOfSelf,
);

fn parse<T: Slug, E: serde::de::Error>(slug: &str) -> Result<T, E> {
    T::parse(slug).ok_or_else(|| E::custom(format!("unknown slug `{slug}`")))
}

/// One choice.
pub mod one {
    use super::*;

    pub fn serialize<T: Slug, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value.slug())
    }

    pub fn deserialize<'de, T: Slug, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        parse(&String::deserialize(deserializer)?)
    }
}

/// A list of choices.
pub mod list {
    use super::*;

    pub fn serialize<T: Slug, S: Serializer>(
        values: &[T],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(values.iter().map(|value| value.slug()))
    }

    pub fn deserialize<'de, T: Slug, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|slug| parse(slug))
            .collect()
    }
}

/// A map keyed by choices: a JSON object keyed by slugs.
pub mod keys {
    use super::*;

    pub fn serialize<T: Slug, V: Serialize, S: Serializer>(
        map: &BTreeMap<T, V>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(map.iter().map(|(key, value)| (key.slug(), value)))
    }

    pub fn deserialize<'de, T: Slug, V: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<T, V>, D::Error> {
        BTreeMap::<String, V>::deserialize(deserializer)?
            .into_iter()
            .map(|(slug, value)| Ok((parse(&slug)?, value)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(with = "one")]
        wish: Wish,
        #[serde(with = "list")]
        others: Vec<ResponseOfOther>,
        #[serde(with = "keys")]
        selves: BTreeMap<ResponseOfSelf, u32>,
    }

    #[test]
    fn choices_are_written_and_read_as_slugs() {
        let sample = Sample {
            wish: Wish::BeLoved,
            others: vec![ResponseOfOther::Rejecting],
            selves: BTreeMap::from([(ResponseOfSelf::OpposeOthers, 2)]),
        };

        let json = serde_json::to_value(&sample).unwrap();

        assert_eq!(
            json,
            serde_json::json!({
                "wish": "w_loved",
                "others": ["ro_rejecting"],
                "selves": {"rs_oppose": 2},
            })
        );
        assert_eq!(serde_json::from_value::<Sample>(json).unwrap(), sample);
    }

    #[test]
    fn an_unknown_slug_is_refused() {
        let json = serde_json::json!({"wish": "be_loved", "others": [], "selves": {}});
        assert!(serde_json::from_value::<Sample>(json).is_err());
    }
}
