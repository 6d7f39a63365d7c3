use super::*;
use crate::domain::{
    feedback::{CommentId, StoredComment},
    reflection::{
        Choices, Intervention, Reaction, Reflection, ReflectionId, RowId, RowKind,
        StoredReflection, Timing,
    },
    vocabulary::{HayesOrigin, InterventionKind, ReactionDimension, SessionPhase},
};

#[test]
fn each_export_has_an_address_that_reads_back() {
    for kind in [ExportKind::MyWork, ExportKind::MySupervision] {
        for format in [ExportFormat::Json, ExportFormat::CsvZip] {
            let path = export_path(kind, format);
            let file = path.strip_prefix("/account/export/").unwrap();
            assert_eq!(parse_export_file(file), Some((kind, format)), "{path}");
        }
    }
    for unknown in ["../my-work.json", "my-work.csv", "my-work", ""] {
        assert_eq!(parse_export_file(unknown), None, "{unknown}");
    }
}

#[test]
fn a_reflection_is_exported_whole_with_its_private_parts_apart() {
    let stored = StoredReflection {
        id: ReflectionId(7),
        case_id: crate::domain::cases::CaseId(3),
        case_code: "C-1".to_string(),
        version: 2,
        updated_at: 1_000,
        reflection: Reflection {
            session_number: 4,
            session_date: "2026-01-05".to_string(),
            reactions: vec![Reaction {
                id: Some(RowId(11)),
                dimension: ReactionDimension::Helpless,
                intensity: 4,
                text: "Lost for words.".to_string(),
            }],
            trigger: Choices::default(),
            manifestation: Choices::default(),
            management: Choices::default(),
            origin: Choices {
                picked: vec![HayesOrigin::Family],
                note: "My brother.".to_string(),
            },
            racker: None,
            racker_object: String::new(),
            racker_note: String::new(),
            enactment: String::new(),
            interventions: vec![Intervention {
                id: Some(RowId(12)),
                kind: InterventionKind::Clarification,
                timing: Timing::Phase(SessionPhase::Late),
                depth: 2,
                target: None,
                response: None,
                text: String::new(),
            }],
            episodes: Vec::new(),
            private_notes: "For my analyst.".to_string(),
        },
    };
    let exported = ExportedReflection::from(&stored);
    assert_eq!(exported.private.origin.picked, ["family"]);
    assert_eq!(exported.private.private_notes, "For my analyst.");
    assert_eq!(exported.reactions[0].dimension, "helpless");
    assert_eq!(
        (exported.reactions[0].id, exported.reactions[0].position),
        (Some(11), 1)
    );
    let intervention = &exported.interventions[0];
    assert_eq!(
        (intervention.minute, intervention.phase.as_deref()),
        (None, Some("late"))
    );
    assert_eq!(intervention.reflection_id, 7);
}

#[test]
fn feedback_on_a_removed_row_keeps_its_kind_and_loses_its_id() {
    let comment = StoredComment {
        id: CommentId(5),
        parent: Some(CommentId(4)),
        supervisor: crate::domain::accounts::UserId(2),
        supervisor_name: "Sam".to_string(),
        author: crate::domain::accounts::UserId(2),
        author_name: "Sam".to_string(),
        placement: Placement::RemovedRow(RowKind::Episode),
        anchor_label: "Episode".to_string(),
        body: "Yes.".to_string(),
        version: 1,
        created_at: 9,
    };
    let exported = ExportedComment::of(3, 7, &comment);
    assert_eq!(
        (exported.anchor_kind.as_str(), exported.anchor_row_id),
        ("episodes", None)
    );
    assert_eq!(exported.parent_id, Some(4));
}
