//! Who may reach what of a shared case, over HTTP: every endpoint and page
//! of sharing and supervision (and the owner's own reading and editing)
//! asked by every kind of asker, with real, mixed and made-up ids; a
//! revoked or expired share closing at the supervisor's very next request;
//! and the therapist's access log.

use app::{
    api::shares::AccessLogView,
    domain::{
        cases::CaseId,
        reflection::ReflectionId,
        sharing::{ShareStatus, SharedMaterial},
    },
};

use crate::{
    casework::{full_reflection, get_json, get_with, reflection_form, save_new_reflection, Form},
    helpers::{execute_with, TestApp, GOOD_PASSWORD},
    on_both_backends,
    sharing::{
        account, administrator, assert_nothing_private, comment, counts, day_from_today, ids,
        inbox, mark_reviewed, marked_reflection, my_feedback, new_case, page, post_comment, rate,
        revoke, share_case, share_form, shared_case, shared_reflection, shares_of, update_share,
        SharingWorld, ENACTMENT, SESSION_DATE,
    },
};

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    /// The therapist whose case it is.
    Owner,
    /// A supervisor with an open share of the case.
    Supervisor,
    /// A supervisor whose share of the case was revoked.
    Revoked,
    /// A supervisor whose share of the case is past its last day.
    Expired,
    /// A supervisor whose open share leaves out the probed reflection.
    Excluded,
    /// A supervisor with an open share of another case of the same owner.
    OtherCaseSupervisor,
    OtherTherapist,
    Administrator,
    /// Not signed in.
    Visitor,
}

/// The order actors are asked in: the owner last, since its writes succeed.
const ACTORS: [Actor; 9] = [
    Actor::Supervisor,
    Actor::Revoked,
    Actor::Expired,
    Actor::Excluded,
    Actor::OtherCaseSupervisor,
    Actor::OtherTherapist,
    Actor::Administrator,
    Actor::Visitor,
    Actor::Owner,
];

/// Whom an endpoint or page answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Everyone, visitors included (with nothing for them).
    Anyone,
    /// Anyone signed in, about their own things (no ids).
    SignedIn,
    /// The owner, by the case's id alone.
    OwnerCase,
    /// The owner, by the case's id and a reflection or share of that case.
    OwnerItem,
    /// A supervisor through an open share, by the case's id alone (a share
    /// leaving some sessions out still opens the case).
    SupervisorCase,
    /// A supervisor through an open share that does not leave the
    /// reflection out.
    SupervisorReflection,
    /// Opening a thread: such a supervisor; the owner is refused (403).
    NewThread,
    /// Replying in the supervisor's thread: that supervisor or the owner.
    Reply,
}

/// The answer a successful request gets, and a refused one.
impl Reach {
    fn expected(self, actor: Actor, is_page: bool) -> u16 {
        if actor == Actor::Visitor {
            return match (self, is_page) {
                (Reach::Anyone, _) => 200,
                (_, true) => 302,
                (_, false) => 401,
            };
        }
        let allowed = match self {
            Reach::Anyone | Reach::SignedIn => true,
            Reach::OwnerCase | Reach::OwnerItem => actor == Actor::Owner,
            Reach::SupervisorCase => matches!(actor, Actor::Supervisor | Actor::Excluded),
            Reach::SupervisorReflection => actor == Actor::Supervisor,
            Reach::NewThread if actor == Actor::Owner => return 403,
            Reach::NewThread => actor == Actor::Supervisor,
            Reach::Reply => matches!(actor, Actor::Supervisor | Actor::Owner),
        };
        if allowed {
            200
        } else {
            404
        }
    }

    /// Whether the probe names something beyond the case.
    fn names_an_item(self) -> bool {
        !matches!(
            self,
            Reach::Anyone | Reach::SignedIn | Reach::OwnerCase | Reach::SupervisorCase
        )
    }
}

enum Call {
    Get(&'static str, Form),
    Post(&'static str, Form),
    Page(String),
}

struct Probe {
    reach: Reach,
    call: Call,
}

impl Probe {
    fn describe(&self) -> String {
        let fields = |form: &Form| {
            form.fields()
                .iter()
                .filter(|(name, _)| !name.starts_with("reflection["))
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("&")
        };
        match &self.call {
            Call::Get(path, form) => format!("GET {path}?{}", fields(form)),
            Call::Post(path, form) => format!("POST {path} {}", fields(form)),
            Call::Page(path) => format!("page {path}"),
        }
    }

    /// Asks as `client`; the status, and where a redirect goes.
    async fn ask(&self, app: &TestApp, client: &reqwest::Client) -> (u16, Option<String>) {
        let response = match &self.call {
            Call::Get(path, form) => get_with(app, client, path, &form.fields()).await,
            Call::Post(path, form) => app.post_form_with(client, path, &form.fields()).await,
            Call::Page(path) => page(app, client, path).await,
        };
        let target = response
            .headers()
            .get("location")
            .map(|value| value.to_str().unwrap().to_string());
        (response.status().as_u16(), target)
    }
}

/// The ids a round of probes names.
#[derive(Debug, Clone, Copy)]
struct Ids {
    case: i64,
    reflection: i64,
    /// The open share of the supervisor (changed by the owner's probe to
    /// the same scope).
    share: i64,
    /// A share the owner's probe revokes.
    doomed: i64,
    /// The opening comment of the supervisor's thread.
    comment: i64,
    intervention: i64,
}

/// Every endpoint and page of sharing and supervision, and the owner's own
/// reading and editing, about `ids`. The owner's writes are harmless to the
/// later probes (the reflection's save comes last).
fn probes(ids: Ids) -> Vec<Probe> {
    let Ids {
        case,
        reflection,
        share,
        doomed,
        comment,
        intervention,
    } = ids;
    let on_case = || Form::new().add("case_id", case.to_string());
    let on_reflection = || on_case().add("reflection_id", reflection.to_string());
    let on_share = |share: i64| on_case().add("share_id", share.to_string());
    let reflection_form = |intent: Option<&str>| {
        let mut form = reflection_form(CaseId(case), &full_reflection(1, SESSION_DATE))
            .add("reflection_id", reflection.to_string())
            .add("version", "1");
        if let Some(intent) = intent {
            form = form.add("intent", intent);
        }
        form
    };
    use Call::{Get, Page, Post};
    use Reach::*;
    let probe = |reach, call| Probe { reach, call };
    vec![
        probe(OwnerCase, Get("/api/cases/overview", on_case())),
        probe(OwnerItem, Get("/api/reflections/get", on_reflection())),
        probe(OwnerItem, Get("/api/reflections/page", on_reflection())),
        probe(OwnerItem, Get("/api/reflections/editor", on_reflection())),
        probe(
            OwnerCase,
            Get(
                "/api/shares/form",
                share_form(CaseId(case), "spare@example.org"),
            ),
        ),
        probe(OwnerItem, Get("/api/shares/settings", on_share(share))),
        probe(OwnerCase, Get("/api/shares/access-log", on_case())),
        probe(SignedIn, Get("/api/supervision/inbox", Form::new())),
        probe(Anyone, Get("/api/feedback/counts", Form::new())),
        probe(SupervisorCase, Get("/api/supervision/case", on_case())),
        probe(
            SupervisorReflection,
            Get("/api/supervision/reflection", on_reflection()),
        ),
        probe(OwnerCase, Page(format!("/cases/{case}"))),
        probe(
            OwnerItem,
            Page(format!("/cases/{case}/reflections/{reflection}")),
        ),
        probe(
            OwnerItem,
            Page(format!("/cases/{case}/reflections/{reflection}/edit")),
        ),
        probe(OwnerCase, Page(format!("/cases/{case}/share"))),
        probe(OwnerItem, Page(format!("/cases/{case}/shares/{share}"))),
        probe(OwnerCase, Page(format!("/cases/{case}/access"))),
        probe(SignedIn, Page("/supervision".to_string())),
        probe(SupervisorCase, Page(format!("/supervision/cases/{case}"))),
        probe(OwnerCase, Get("/api/analytics/case", on_case())),
        probe(OwnerCase, Page(format!("/cases/{case}/analytics"))),
        probe(SupervisorCase, Get("/api/analytics/shared", on_case())),
        probe(
            SupervisorCase,
            Page(format!("/supervision/cases/{case}/analytics")),
        ),
        probe(
            OwnerCase,
            Post("/api/analytics/threshold", on_case().add("threshold", "3")),
        ),
        probe(
            SupervisorReflection,
            Page(format!(
                "/supervision/cases/{case}/reflections/{reflection}"
            )),
        ),
        probe(
            NewThread,
            Post(
                "/api/feedback/comment",
                on_reflection()
                    .add("anchor", "reflection")
                    .add("body", "A new thread."),
            ),
        ),
        probe(
            Reply,
            Post(
                "/api/feedback/comment",
                on_reflection()
                    .add("reply_to", comment.to_string())
                    .add("body", "A reply."),
            ),
        ),
        probe(
            SupervisorReflection,
            Post(
                "/api/supervision/rate",
                on_reflection()
                    .add("intervention_id", intervention.to_string())
                    .add("rating", "well_timed")
                    .add("note", ""),
            ),
        ),
        probe(
            SupervisorReflection,
            Post(
                "/api/supervision/review",
                on_reflection().add("version", "1"),
            ),
        ),
        probe(
            OwnerItem,
            Post("/api/reflections/keep-draft", reflection_form(None)),
        ),
        probe(
            OwnerCase,
            Post(
                "/api/shares/create",
                share_form(CaseId(case), "spare@example.org"),
            ),
        ),
        probe(
            OwnerItem,
            Post(
                "/api/shares/update",
                on_share(share).add("scope[expires_on]", ""),
            ),
        ),
        probe(OwnerItem, Post("/api/shares/revoke", on_share(doomed))),
        probe(
            OwnerItem,
            Post("/api/reflections/save", reflection_form(Some("save"))),
        ),
    ]
}

/// Tess's case C-07 as in [`SharingWorld`], shared with a supervisor of
/// every kind, Sam's thread on its reflection, and Tess's other case C-08
/// shared with Otto.
struct Askers {
    world: SharingWorld,
    other_case: CaseId,
    clients: Vec<(Actor, reqwest::Client)>,
    ids: Ids,
}

async fn askers(app: &TestApp) -> Askers {
    let world = SharingWorld::new(app).await;
    let tess = &world.therapist.client;
    let case = world.case;

    let revoked = account(app, "rita@example.org", "Rita Revoked").await;
    let share = share_case(app, tess, case, "rita@example.org", &[]).await;
    assert_eq!(revoke(app, tess, case, share).await.status(), 200);
    let expired = account(app, "eddie@example.org", "Eddie Expired").await;
    let share = share_case(app, tess, case, "eddie@example.org", &[]).await;
    expire(app, share.0).await;
    let excluded = account(app, "xena@example.org", "Xena Excluded").await;
    share_case(app, tess, case, "xena@example.org", &[world.reflection]).await;
    let other_case = new_case(app, tess, "C-08").await;
    save_new_reflection(app, tess, other_case, &marked_reflection(1, SESSION_DATE)).await;
    let otto = account(app, "otto@example.org", "Otto Othercase").await;
    share_case(app, tess, other_case, "otto@example.org", &[]).await;
    let olga = account(app, "olga@example.org", "Olga Otherther").await;
    new_case(app, &olga.client, "O-01").await;
    let ada = administrator(app, "ada@example.org").await;
    // Accounts only the owner's probes name: one to share with, one whose share is revoked.
    for (email, name) in [
        ("spare@example.org", "Spare"),
        ("doomed@example.org", "Doomed"),
    ] {
        app.create_user(email, name, GOOD_PASSWORD, false).await;
    }
    let doomed = share_case(app, tess, case, "doomed@example.org", &[]).await;

    let intervention = world.intervention(app, 1).await;
    let opening = comment(
        app,
        &world.supervisor.client,
        case,
        world.reflection,
        "reflection",
        "Opening.",
    )
    .await;
    let ids = Ids {
        case: case.0,
        reflection: world.reflection.0,
        share: world.share.0,
        doomed: doomed.0,
        comment: opening.0,
        intervention: intervention.0,
    };
    let clients = vec![
        (Actor::Owner, world.therapist.client.clone()),
        (Actor::Supervisor, world.supervisor.client.clone()),
        (Actor::Revoked, revoked.client),
        (Actor::Expired, expired.client),
        (Actor::Excluded, excluded.client),
        (Actor::OtherCaseSupervisor, otto.client),
        (Actor::OtherTherapist, olga.client),
        (Actor::Administrator, ada.client),
        (Actor::Visitor, app.new_client()),
    ];
    Askers {
        world,
        other_case,
        clients,
        ids,
    }
}

/// Moves a share's last day into the past (the form refuses past days).
async fn expire(app: &TestApp, share: i64) {
    execute_with(
        &app.database,
        "UPDATE shares SET expires_on = '2020-01-01' WHERE id = $1",
        share,
    )
    .await;
}

impl Askers {
    fn client(&self, actor: Actor) -> &reqwest::Client {
        &self
            .clients
            .iter()
            .find(|(who, _)| *who == actor)
            .unwrap()
            .1
    }

    /// Asks every probe as every actor; returns what differed from
    /// `expected`, one readable line each.
    async fn ask_all(
        &self,
        app: &TestApp,
        probes: &[Probe],
        expected: impl Fn(&Probe, Actor) -> u16,
    ) -> Vec<String> {
        let mut wrong = Vec::new();
        for probe in probes {
            for actor in ACTORS {
                let want = expected(probe, actor);
                let (got, target) = probe.ask(app, self.client(actor)).await;
                let to_sign_in = target
                    .as_deref()
                    .is_some_and(|t| t.starts_with("/login?next="));
                if got != want || (got == 302 && !to_sign_in) {
                    wrong.push(format!(
                        "{actor:?} on {}: expected {want}, got {got} {target:?}",
                        probe.describe()
                    ));
                }
            }
        }
        wrong
    }
}

fn is_page(probe: &Probe) -> bool {
    matches!(probe.call, Call::Page(_))
}

/// What every asker gets when the ids name nothing they may reach.
fn nothing(probe: &Probe, actor: Actor) -> u16 {
    match (actor, is_page(probe)) {
        (Actor::Visitor, true) => 302,
        (Actor::Visitor, false) => 401,
        _ => 404,
    }
}

on_both_backends! {
    async fn every_endpoint_answers_each_asker_as_documented(app: app) {
        let askers = askers(&app).await;
        let real = askers.ids;
        const MADE_UP: i64 = 987_654_321;
        let mut wrong = Vec::new();

        // Made-up ids, and the other case with this case's reflection, share
        // and thread, reach nothing, for anyone. (Asked first: the real round
        // changes things.)
        let made_up_case: Vec<Probe> = probes(Ids { case: MADE_UP, ..real }).into_iter().filter(|p| !matches!(p.reach, Reach::Anyone | Reach::SignedIn)).collect();
        wrong.extend(askers.ask_all(&app, &made_up_case, nothing).await);
        let made_up_items: Vec<Probe> = probes(Ids { reflection: MADE_UP, share: MADE_UP, doomed: MADE_UP, comment: MADE_UP, intervention: MADE_UP, ..real }).into_iter().filter(|p| p.reach.names_an_item()).collect();
        wrong.extend(askers.ask_all(&app, &made_up_items, nothing).await);
        let mixed: Vec<Probe> = probes(Ids { case: askers.other_case.0, ..real }).into_iter().filter(|p| p.reach.names_an_item()).collect();
        wrong.extend(askers.ask_all(&app, &mixed, nothing).await);

        // The real ids: each asker gets what their access allows.
        wrong.extend(askers.ask_all(&app, &probes(real), |probe, actor| probe.reach.expected(actor, is_page(probe))).await);
        assert!(wrong.is_empty(), "{} unexpected answers:\n{}", wrong.len(), wrong.join("\n"));

        // Nobody refused left a trace: only Sam's threads, Sam's and Tess's
        // replies, Sam's rating; only Sam and Xena (case level) in the log.
        let (tess, case) = (&askers.world.therapist.client, askers.world.case);
        let feedback = my_feedback(&app, tess, case, askers.world.reflection).await;
        let authors: Vec<Vec<&str>> = feedback.threads.iter().map(|t| t.messages.iter().map(|m| m.author_name.as_str()).collect()).collect();
        assert_eq!(authors, [vec!["Sam Supervisor", "Sam Supervisor", "Tess Therapist"], vec!["Sam Supervisor"]]);
        assert!(feedback.ratings.iter().all(|r| r.supervisor == askers.world.supervisor.user.id));
        let log: AccessLogView = get_json(&app, tess, "/api/shares/access-log", &[("case_id", &case.0.to_string())]).await;
        assert!(log.events.iter().all(|e| ["Sam Supervisor", "Xena Excluded"].contains(&e.supervisor_name.as_str())), "{:?}", log.events);
        let statuses: Vec<(String, ShareStatus)> = shares_of(&app, tess, case).await.into_iter().map(|s| (s.supervisor_email, s.status)).collect();
        assert_eq!(statuses, [
            ("spare@example.org".to_string(), ShareStatus::Active),
            ("doomed@example.org".to_string(), ShareStatus::Revoked),
            ("xena@example.org".to_string(), ShareStatus::Active),
            ("eddie@example.org".to_string(), ShareStatus::Expired),
            ("rita@example.org".to_string(), ShareStatus::Revoked),
            ("sam@example.org".to_string(), ShareStatus::Active),
        ]);
    }

    async fn the_inbox_lists_only_cases_open_to_the_supervisor(app: app) {
        let askers = askers(&app).await;
        for (actor, expected) in [
            (Actor::Supervisor, vec!["C-07"]),
            (Actor::Excluded, vec!["C-07"]),
            (Actor::OtherCaseSupervisor, vec!["C-08"]),
            (Actor::Revoked, vec![]),
            (Actor::Expired, vec![]),
            (Actor::Owner, vec![]),
            (Actor::OtherTherapist, vec![]),
            (Actor::Administrator, vec![]),
        ] {
            let client = askers.client(actor);
            let codes: Vec<String> = inbox(&app, client).await.into_iter().map(|entry| entry.case.code).collect();
            assert_eq!(codes, expected, "{actor:?}");
            assert_eq!(counts(&app, client).await.supervising, !expected.is_empty(), "{actor:?}");
        }
        // A share that leaves a session out opens the case without it, with
        // nothing of it to review.
        let sessions = shared_case(&app, askers.client(Actor::Excluded), askers.world.case).await.sessions;
        assert!(sessions.is_empty(), "{sessions:?}");
        assert_eq!(inbox(&app, askers.client(Actor::Excluded)).await[0].to_review, 0);
        assert_eq!(inbox(&app, askers.client(Actor::Supervisor)).await[0].to_review, 1);
    }

    async fn an_address_whose_id_does_not_parse_names_no_reflection(app: app) {
        // The repository reads id 0 as "any": an id that did not parse (0)
        // must not show the newest reflection instead.
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let case = world.case.0;
        for path in [format!("/cases/{case}/reflections/0"), format!("/cases/{case}/reflections/not-a-number")] {
            assert_eq!(page(&app, tess, &path).await.status(), 404, "{path}");
        }
        for path in [format!("/supervision/cases/{case}/reflections/0"), format!("/supervision/cases/{case}/reflections/x")] {
            assert_eq!(page(&app, sam, &path).await.status(), 404, "{path}");
        }
        let zero = ids(world.case, ReflectionId(0));
        assert_eq!(get_with(&app, tess, "/api/reflections/get", &zero.fields()).await.status(), 404);
        assert_eq!(get_with(&app, sam, "/api/supervision/reflection", &zero.fields()).await.status(), 404);
        assert_eq!(post_comment(&app, sam, world.case, ReflectionId(0), "reflection", "Where?").await.status(), 404);
    }

    async fn revoking_takes_effect_on_the_supervisors_very_next_request(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let (case, reflection) = (world.case, world.reflection);
        let reading = format!("/supervision/cases/{}/reflections/{}", case.0, reflection.0);
        assert_eq!(page(&app, sam, &reading).await.status(), 200);
        let row = world.intervention(&app, 1).await;
        let opening = comment(&app, sam, case, reflection, "reflection", "Before.").await;

        assert_eq!(revoke(&app, tess, case, world.share).await.status(), 200);
        assert_eq!(page(&app, sam, &reading).await.status(), 404);
        let gone = page(&app, sam, &format!("/supervision/cases/{}", case.0)).await;
        assert_eq!(gone.status(), 404);
        let html = gone.text().await.unwrap();
        assert!(html.contains("There is no such case or reflection shared with you.") && html.contains("Back to supervision"), "{html}");
        assert_eq!(get_with(&app, sam, "/api/supervision/case", &[("case_id", &case.0.to_string())]).await.status(), 404);
        assert_eq!(get_with(&app, sam, "/api/supervision/reflection", &ids(case, reflection).fields()).await.status(), 404);
        assert_eq!(post_comment(&app, sam, case, reflection, "reflection", "After.").await.status(), 404);
        assert_eq!(post_comment(&app, sam, case, reflection, &format!("reply_to:{}", opening.0), "After.").await.status(), 404);
        assert_eq!(rate(&app, sam, case, reflection, row, "too_late", "").await.status(), 404);
        assert_eq!(mark_reviewed(&app, sam, case, reflection, 1).await.status(), 404);
        assert!(inbox(&app, sam).await.is_empty());
        assert_eq!(counts(&app, sam).await, Default::default());
        // What Sam wrote stays with Tess.
        assert_eq!(my_feedback(&app, tess, case, reflection).await.threads.len(), 1);
    }

    async fn a_share_is_open_through_its_last_day_and_closed_after_it(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let today = day_from_today(0);
        assert_eq!(update_share(&app, tess, world.case, world.share, &[], &today).await.status(), 200);
        assert_eq!(shared_case(&app, sam, world.case).await.case.expires_on, Some(today));

        expire(&app, world.share.0).await;
        assert_eq!(get_with(&app, sam, "/api/supervision/case", &[("case_id", &world.case.0.to_string())]).await.status(), 404);
        assert_eq!(get_with(&app, sam, "/api/supervision/reflection", &ids(world.case, world.reflection).fields()).await.status(), 404);
        assert!(inbox(&app, sam).await.is_empty());
        assert_eq!(shares_of(&app, tess, world.case).await[0].status, ShareStatus::Expired);

        // Setting a later last day opens it again.
        assert_eq!(update_share(&app, tess, world.case, world.share, &[], &day_from_today(7)).await.status(), 200);
        assert_eq!(shared_sessions_count(&app, sam, world.case).await, 1);
        assert_eq!(shares_of(&app, tess, world.case).await[0].status, ShareStatus::Active);
    }

    async fn each_supervisor_read_is_in_the_therapists_access_log_newest_first(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam, case) = (&world.therapist.client, &world.supervisor.client, world.case);
        let first = world.reflection;
        let second = save_new_reflection(&app, tess, case, &marked_reflection(2, "2019-04-30")).await;
        let uma = account(&app, "uma@example.org", "Uma Supervisor").await;
        share_case(&app, tess, case, "uma@example.org", &[first]).await;
        let log = || async { get_json::<AccessLogView>(&app, tess, "/api/shares/access-log", &[("case_id", &case.0.to_string())]).await };
        assert!(log().await.events.is_empty());

        shared_case(&app, sam, case).await;
        shared_reflection(&app, sam, case, first).await;
        inbox(&app, sam).await;
        shared_case(&app, &uma.client, case).await;
        let left_out = get_with(&app, &uma.client, "/api/supervision/reflection", &ids(case, first).fields()).await;
        assert_eq!(left_out.status(), 404);
        shared_reflection(&app, &uma.client, case, second).await;
        let reading = page(&app, sam, &format!("/supervision/cases/{}/reflections/{}", case.0, second.0)).await;
        assert_eq!(reading.status(), 200);

        let log = log().await;
        assert_eq!(log.case_code, "C-07");
        let events: Vec<(&str, SharedMaterial)> = log.events.iter().map(|e| (e.supervisor_name.as_str(), e.material)).collect();
        let on = |session_number| SharedMaterial::Reflection { session_number };
        assert_eq!(events, [
            ("Sam Supervisor", on(2)),
            ("Uma Supervisor", on(2)),
            ("Uma Supervisor", SharedMaterial::Case),
            ("Sam Supervisor", on(1)),
            ("Sam Supervisor", SharedMaterial::Case),
        ], "newest first; the inbox and a refused read are not in it");
        assert!(log.events.windows(2).all(|pair| pair[0].occurred_at >= pair[1].occurred_at));
        let json = serde_json::to_string(&log).unwrap();
        assert_nothing_private("the access log", &json);
        for clinical in [ENACTMENT, "Linked the lateness", "Could not find words"] {
            assert!(!json.contains(clinical), "no clinical text in the log: {json}");
        }
        let html = page(&app, tess, &format!("/cases/{}/access", case.0)).await.text().await.unwrap();
        assert!(html.contains("Reflection on session 2") && html.contains("Uma Supervisor"), "{html}");

        // Nobody else reads it.
        let olga = account(&app, "olga@example.org", "Olga Otherther").await;
        let ada = administrator(&app, "ada@example.org").await;
        for (who, client, status) in [("Sam", sam, 404), ("Uma", &uma.client, 404), ("Olga", &olga.client, 404), ("Ada", &ada.client, 404), ("a visitor", &app.new_client(), 401)] {
            let response = get_with(&app, client, "/api/shares/access-log", &[("case_id", &case.0.to_string())]).await;
            assert_eq!(response.status(), status, "{who}");
        }
    }
}

async fn shared_sessions_count(app: &TestApp, client: &reqwest::Client, case: CaseId) -> usize {
    shared_case(app, client, case).await.sessions.len()
}
