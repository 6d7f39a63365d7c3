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
        <p>
            "Share a case with a supervisor when you choose: you see a preview of exactly what "
            "they will read, leave out sessions, set a last day, and revoke at any time. The "
            "origins of your reactions, your private notes and calendar dates are never shared, "
            "and you can see who opened what."
        </p>
        <h2>"For supervisors"</h2>
        <p>
            "Review what supervisees choose to share: comment on the exact reaction, "
            "intervention or episode, rate the pacing of interventions, talk it through in a "
            "thread with the therapist, and mark reflections reviewed."
        </p>
        <h2>"For administrators"</h2>
        <p>"Invite and disable accounts. Administrators never see clinical content."</p>
    }
}
