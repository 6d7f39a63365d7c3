use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <Title text="About" />
        <h1>"About Reverie"</h1>
        <p>
            "Reverie is for psychodynamic clinicians. After each session a therapist records "
            "what the client stirred in them, the interventions they made and how the client "
            "took them, and the relational themes the client keeps bringing."
        </p>
        <h2>"For therapists"</h2>
        <p>
            "Write a structured reflection in a few minutes: reactions along the eight "
            "countertransference dimensions, Hayes' origin, trigger, manifestation and "
            "management, Racker's identification, interventions with their depth and the "
            "client's response, and core conflictual relationship themes."
        </p>
        <h2>"For supervisors"</h2>
        <p>
            "Review what supervisees choose to share, see interpretation pacing and recurring "
            "themes, and leave feedback anchored to the exact entry it concerns."
        </p>
        <h2>"For administrators"</h2>
        <p>"Invite and disable accounts. Administrators never see clinical content."</p>
    }
}
