//! The clinical vocabulary, exactly as PRODUCT.md defines it: each choice has
//! a stable slug (what is stored and posted) and the label a clinician reads.

/// Defines a closed set of choices with their slugs and labels, and the one
/// way to list, show and parse them.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($slug:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and posted form.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// What the clinician reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(slug: &str) -> Option<Self> {
                match slug { $($slug => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

/// Other domain modules define their closed sets with the same macro.
pub(crate) use vocabulary;

vocabulary!(
    /// The eight countertransference factors of the Therapist Response
    /// Questionnaire (Betan, Heim, Zittel Conklin & Westen, 2005).
    ReactionDimension {
        Overwhelmed => ("overwhelmed", "Overwhelmed / disorganized"),
        Helpless => ("helpless", "Helpless / inadequate"),
        Positive => ("positive", "Positive / satisfying"),
        Special => ("special", "Special / overinvolved"),
        Sexualized => ("sexualized", "Sexualized"),
        Disengaged => ("disengaged", "Disengaged"),
        Parental => ("parental", "Parental / protective"),
        Criticized => ("criticized", "Criticized / mistreated"),
    }
);

vocabulary!(
    /// Hayes: where the reaction comes from in the therapist. Private.
    HayesOrigin {
        Family => ("family", "Family"),
        NeedsAndValues => ("needs_values", "Needs and values"),
        TherapySpecific => ("therapy_specific", "Therapy-specific"),
        Cultural => ("cultural", "Cultural"),
        Other => ("other", "Other"),
    }
);

vocabulary!(
    /// Hayes: what set the reaction off in the session.
    HayesTrigger {
        ClientMaterial => ("client_material", "Client material"),
        Comparing => ("comparing", "Comparing the client with others"),
        FrameChange => ("frame_change", "A change in the frame"),
        AssessingProgress => ("assessing_progress", "Assessing progress"),
        Perception => ("perception", "Perception of the client"),
        Emotion => ("emotion", "An emotion"),
    }
);

vocabulary!(
    /// Hayes: how the reaction showed.
    HayesManifestation {
        Approach => ("approach", "Approach"),
        Avoidance => ("avoidance", "Avoidance"),
        NegativeFeeling => ("negative_feeling", "Negative feeling"),
        Bodily => ("bodily", "Bodily"),
        TreatmentPlanning => ("treatment_planning", "In treatment planning"),
    }
);

vocabulary!(
    /// Hayes: how the therapist managed the reaction.
    HayesManagement {
        SelfInsight => ("self_insight", "Self-insight"),
        SelfIntegration => ("self_integration", "Self-integration"),
        Empathy => ("empathy", "Empathy"),
        AnxietyManagement => ("anxiety_management", "Anxiety management"),
        Conceptualizing => ("conceptualizing", "Conceptualizing skill"),
    }
);

vocabulary!(
    /// Racker: whom the therapist identified with.
    RackerIdentification {
        Concordant => ("concordant", "Concordant (with the client's self)"),
        Complementary => ("complementary", "Complementary (with an internal object)"),
        Unclear => ("unclear", "Unclear"),
    }
);

vocabulary!(
    InterventionKind {
        Question => ("question", "Question"),
        Clarification => ("clarification", "Clarification"),
        Confrontation => ("confrontation", "Confrontation"),
        Supportive => ("supportive", "Supportive"),
        DefenseInterpretation => ("defense_interpretation", "Defense interpretation"),
        TransferenceInterpretation => ("transference_interpretation", "Transference interpretation"),
        GeneticInterpretation => ("genetic_interpretation", "Genetic/historical interpretation"),
        ExtraTransferenceInterpretation => ("extra_transference_interpretation", "Extra-transference interpretation"),
        Other => ("other", "Other"),
    }
);

impl InterventionKind {
    /// Kinds whose name ends in "interpretation" count as interpretations.
    pub fn is_interpretation(self) -> bool {
        self.label().ends_with("interpretation")
    }
}

vocabulary!(
    /// When in the session, for interventions recorded without a minute.
    SessionPhase {
        Early => ("early", "Early"),
        Middle => ("middle", "Middle"),
        Late => ("late", "Late"),
    }
);

impl SessionPhase {
    /// The minute a phase counts as in the pacing analytics.
    pub fn minute_equivalent(self) -> u8 {
        match self {
            SessionPhase::Early => 10,
            SessionPhase::Middle => 30,
            SessionPhase::Late => 50,
        }
    }
}

vocabulary!(
    /// Whom an intervention was about.
    TargetPerson {
        Therapist => ("therapist", "The therapist"),
        CurrentOther => ("current_other", "A current other"),
        PastFigure => ("past_figure", "A past figure"),
        Client => ("self", "The client's self"),
    }
);

vocabulary!(
    /// How the client took an intervention.
    ClientResponse {
        EmotionalElaboration => ("emotional_elaboration", "Emotional elaboration"),
        ElaborationOfMeaning => ("elaboration_of_meaning", "Elaboration of meaning"),
        NewMaterial => ("new_material", "New material"),
        Agreement => ("agreement", "Agreement"),
        Intellectualizing => ("intellectualizing", "Intellectualizing"),
        DefensiveShift => ("defensive_shift", "Defensive shift"),
        Withdrawal => ("withdrawal", "Withdrawal"),
        Rupture => ("rupture", "Rupture"),
    }
);

vocabulary!(
    /// With whom a relationship episode happened.
    EpisodeWith {
        Therapist => ("therapist", "The therapist"),
        CurrentOther => ("current_other", "A current other"),
        PastFigure => ("past_figure", "A past figure"),
    }
);

vocabulary!(
    /// When a relationship episode happened.
    EpisodeWhen {
        InSession => ("in_session", "In the session"),
        Recent => ("recent", "Recently (the client's current life)"),
        LongAgo => ("long_ago", "Long ago"),
    }
);

vocabulary!(
    /// CCRT standard clusters for the wish (W).
    Wish {
        AssertSelf => ("w_assert", "To assert self and be independent"),
        OpposeOthers => ("w_oppose", "To oppose, hurt and control others"),
        BeControlled => ("w_controlled", "To be controlled, hurt and not responsible"),
        BeDistant => ("w_distant", "To be distant and avoid conflicts"),
        BeClose => ("w_close", "To be close and accepting"),
        BeLoved => ("w_loved", "To be loved and understood"),
        FeelGood => ("w_feel_good", "To feel good and comfortable"),
        Achieve => ("w_achieve", "To achieve and help others"),
    }
);

vocabulary!(
    /// CCRT standard clusters for the response of the other (RO).
    ResponseOfOther {
        Strong => ("ro_strong", "Strong"),
        Controlling => ("ro_controlling", "Controlling"),
        Upset => ("ro_upset", "Upset"),
        Bad => ("ro_bad", "Bad"),
        Rejecting => ("ro_rejecting", "Rejecting and opposing"),
        Helpful => ("ro_helpful", "Helpful"),
        LikesMe => ("ro_likes_me", "Likes me"),
        Understanding => ("ro_understanding", "Understanding"),
    }
);

vocabulary!(
    /// CCRT standard clusters for the response of self (RS).
    ResponseOfSelf {
        Helpful => ("rs_helpful", "Helpful"),
        Unreceptive => ("rs_unreceptive", "Unreceptive"),
        Respected => ("rs_respected", "Respected and accepted"),
        OpposeOthers => ("rs_oppose", "Oppose and hurt others"),
        SelfControlled => ("rs_self_controlled", "Self-controlled and self-confident"),
        Helpless => ("rs_helpless", "Helpless"),
        Disappointed => ("rs_disappointed", "Disappointed and depressed"),
        Anxious => ("rs_anxious", "Anxious and ashamed"),
    }
);

vocabulary!(
    /// The therapeutic approach of a case.
    Modality {
        Psychodynamic => ("psychodynamic", "Psychodynamic"),
        ShortTermPsychodynamic => ("short_term_psychodynamic", "Short-term psychodynamic"),
        Psychoanalytic => ("psychoanalytic", "Psychoanalytic"),
        Other => ("other", "Other"),
    }
);

vocabulary!(
    /// How often the therapist and client meet.
    SessionFrequency {
        Weekly => ("weekly", "Once a week"),
        TwiceWeekly => ("twice_weekly", "Twice a week"),
        ThreeOrMoreWeekly => ("three_or_more_weekly", "Three or more times a week"),
        Fortnightly => ("fortnightly", "Every two weeks"),
        Monthly => ("monthly", "Once a month"),
        Irregular => ("irregular", "Irregular"),
    }
);

vocabulary!(
    CaseStatus {
        Active => ("active", "Active"),
        Closed => ("closed", "Closed"),
    }
);

/// A CCRT cluster of any of the three components, for searching by theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cluster {
    Wish(Wish),
    ResponseOfOther(ResponseOfOther),
    ResponseOfSelf(ResponseOfSelf),
}

impl Cluster {
    pub fn all() -> impl Iterator<Item = Cluster> {
        Wish::ALL
            .iter()
            .map(|&w| Cluster::Wish(w))
            .chain(
                ResponseOfOther::ALL
                    .iter()
                    .map(|&ro| Cluster::ResponseOfOther(ro)),
            )
            .chain(
                ResponseOfSelf::ALL
                    .iter()
                    .map(|&rs| Cluster::ResponseOfSelf(rs)),
            )
    }

    pub fn slug(self) -> &'static str {
        match self {
            Cluster::Wish(w) => w.slug(),
            Cluster::ResponseOfOther(ro) => ro.slug(),
            Cluster::ResponseOfSelf(rs) => rs.slug(),
        }
    }

    /// `W: To be loved and understood`.
    pub fn label(self) -> String {
        match self {
            Cluster::Wish(w) => format!("W: {}", w.label()),
            Cluster::ResponseOfOther(ro) => format!("RO: {}", ro.label()),
            Cluster::ResponseOfSelf(rs) => format!("RS: {}", rs.label()),
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Cluster::all().find(|cluster| cluster.slug() == slug)
    }
}

vocabulary!(
    /// What allows a therapist to show a case to a supervisor (privacy rule 3).
    ShareBasis {
        Training => ("training", "Same-organisation training programme"),
        ClientAuthorization => ("client_authorization", "Client authorization on file"),
        Deidentified => ("deidentified", "De-identified material"),
    }
);

vocabulary!(
    /// A supervisor's judgement of an intervention's timing and depth.
    PacingRating {
        WellTimed => ("well_timed", "Well timed"),
        TooEarly => ("too_early", "Too early"),
        TooLate => ("too_late", "Too late"),
        MissedOpportunity => ("missed_opportunity", "Missed opportunity"),
        TooDeep => ("too_deep", "Too deep"),
        TooShallow => ("too_shallow", "Too shallow"),
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_literature_sets_have_their_sizes() {
        assert_eq!(ReactionDimension::ALL.len(), 8);
        assert_eq!(HayesOrigin::ALL.len(), 5);
        assert_eq!(HayesTrigger::ALL.len(), 6);
        assert_eq!(HayesManifestation::ALL.len(), 5);
        assert_eq!(HayesManagement::ALL.len(), 5);
        assert_eq!(InterventionKind::ALL.len(), 9);
        assert_eq!(ClientResponse::ALL.len(), 8);
        assert_eq!(TargetPerson::ALL.len(), 4);
        assert_eq!(Wish::ALL.len(), 8);
        assert_eq!(ResponseOfOther::ALL.len(), 8);
        assert_eq!(ResponseOfSelf::ALL.len(), 8);
        assert_eq!(ShareBasis::ALL.len(), 3);
        assert_eq!(PacingRating::ALL.len(), 6);
    }

    #[test]
    fn every_slug_parses_back_to_its_choice() {
        for &dimension in ReactionDimension::ALL {
            assert_eq!(ReactionDimension::parse(dimension.slug()), Some(dimension));
        }
        for &kind in InterventionKind::ALL {
            assert_eq!(InterventionKind::parse(kind.slug()), Some(kind));
        }
        for cluster in Cluster::all() {
            assert_eq!(Cluster::parse(cluster.slug()), Some(cluster));
        }
        for &rating in PacingRating::ALL {
            assert_eq!(PacingRating::parse(rating.slug()), Some(rating));
        }
        for &basis in ShareBasis::ALL {
            assert_eq!(ShareBasis::parse(basis.slug()), Some(basis));
        }
        assert_eq!(ReactionDimension::parse("Overwhelmed"), None);
        assert_eq!(Cluster::parse(""), None);
    }

    #[test]
    fn cluster_slugs_are_unique_across_components() {
        let slugs: HashSet<_> = Cluster::all().map(Cluster::slug).collect();
        assert_eq!(slugs.len(), 24);
    }

    #[test]
    fn exactly_the_four_interpretation_kinds_count_as_interpretations() {
        let interpretations: Vec<_> = InterventionKind::ALL
            .iter()
            .filter(|kind| kind.is_interpretation())
            .collect();
        assert_eq!(
            interpretations,
            [
                &InterventionKind::DefenseInterpretation,
                &InterventionKind::TransferenceInterpretation,
                &InterventionKind::GeneticInterpretation,
                &InterventionKind::ExtraTransferenceInterpretation,
            ]
        );
    }

    #[test]
    fn phases_count_as_minutes_10_30_50() {
        let minutes: Vec<_> = SessionPhase::ALL
            .iter()
            .map(|phase| phase.minute_equivalent())
            .collect();
        assert_eq!(minutes, [10, 30, 50]);
    }
}
