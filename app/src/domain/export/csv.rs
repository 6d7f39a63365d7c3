//! The export as CSV, one file per entity, rows linked by ids (the same
//! fields as the JSON; lists of slugs joined by `;`, lists of text by line
//! breaks). Each file is written through [`csv_line`], so a field a
//! spreadsheet would run as a formula is written as text.

use super::{
    ExportedCase, ExportedComment, ExportedDraft, ExportedEpisode, ExportedIntervention,
    ExportedMeeting, ExportedRating, ExportedReaction, ExportedReflection, ExportedShare,
    GivenRating, WrittenComment,
};
use crate::domain::csv::csv_line;

/// One row of one of the files.
pub trait Record {
    /// The file's first line.
    const HEADER: &'static [&'static str];
    fn fields(&self) -> Vec<String>;
}

/// `record` as a CSV line.
pub fn record_line<R: Record>(record: &R) -> String {
    csv_line(&record.fields())
}

fn text<T: ToString>(value: T) -> String {
    value.to_string()
}

fn optional<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl Record for ExportedCase {
    const HEADER: &'static [&'static str] = &[
        "id",
        "code",
        "modality",
        "frequency",
        "start_date",
        "planned_sessions",
        "status",
        "names_to_watch",
        "transference_threshold",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.id),
            self.code.clone(),
            self.modality.clone(),
            self.frequency.clone(),
            self.start_date.clone(),
            optional(&self.planned_sessions),
            self.status.clone(),
            self.names_to_watch.join("\n"),
            text(self.transference_threshold),
        ]
    }
}

impl Record for ExportedReflection {
    const HEADER: &'static [&'static str] = &[
        "id",
        "case_id",
        "session_number",
        "session_date",
        "version",
        "updated_at",
        "trigger",
        "trigger_note",
        "manifestation",
        "manifestation_note",
        "management",
        "management_note",
        "racker",
        "racker_object",
        "racker_note",
        "enactment",
        "private_origin",
        "private_origin_note",
        "private_notes",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.id),
            text(self.case_id),
            text(self.session_number),
            self.session_date.clone(),
            text(self.version),
            text(self.updated_at),
            self.trigger.picked.join(";"),
            self.trigger.note.clone(),
            self.manifestation.picked.join(";"),
            self.manifestation.note.clone(),
            self.management.picked.join(";"),
            self.management.note.clone(),
            optional(&self.racker),
            self.racker_object.clone(),
            self.racker_note.clone(),
            self.enactment.clone(),
            self.private.origin.picked.join(";"),
            self.private.origin.note.clone(),
            self.private.private_notes.clone(),
        ]
    }
}

impl Record for ExportedReaction {
    const HEADER: &'static [&'static str] = &[
        "id",
        "reflection_id",
        "position",
        "dimension",
        "intensity",
        "text",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            optional(&self.id),
            text(self.reflection_id),
            text(self.position),
            self.dimension.clone(),
            text(self.intensity),
            self.text.clone(),
        ]
    }
}

impl Record for ExportedIntervention {
    const HEADER: &'static [&'static str] = &[
        "id",
        "reflection_id",
        "position",
        "kind",
        "minute",
        "phase",
        "depth",
        "target",
        "response",
        "text",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            optional(&self.id),
            text(self.reflection_id),
            text(self.position),
            self.kind.clone(),
            optional(&self.minute),
            optional(&self.phase),
            text(self.depth),
            optional(&self.target),
            optional(&self.response),
            self.text.clone(),
        ]
    }
}

impl Record for ExportedEpisode {
    const HEADER: &'static [&'static str] = &[
        "id",
        "reflection_id",
        "position",
        "with_whom",
        "when",
        "wish",
        "wish_text",
        "response_of_other",
        "response_of_other_text",
        "response_of_self",
        "response_of_self_text",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            optional(&self.id),
            text(self.reflection_id),
            text(self.position),
            self.with_whom.clone(),
            optional(&self.when),
            optional(&self.wish),
            self.wish_text.clone(),
            optional(&self.response_of_other),
            self.response_of_other_text.clone(),
            optional(&self.response_of_self),
            self.response_of_self_text.clone(),
        ]
    }
}

impl Record for ExportedShare {
    const HEADER: &'static [&'static str] = &[
        "id",
        "case_id",
        "supervisor_name",
        "supervisor_email",
        "basis",
        "status",
        "expires_on",
        "excluded_reflection_ids",
        "created_at",
        "revoked_at",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.id),
            text(self.case_id),
            self.supervisor_name.clone(),
            self.supervisor_email.clone(),
            self.basis.clone(),
            self.status.clone(),
            optional(&self.expires_on),
            self.excluded_reflection_ids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            text(self.created_at),
            optional(&self.revoked_at),
        ]
    }
}

impl Record for ExportedComment {
    const HEADER: &'static [&'static str] = &[
        "id",
        "case_id",
        "reflection_id",
        "parent_id",
        "supervisor_name",
        "author_name",
        "anchor_kind",
        "anchor_row_id",
        "anchor_label",
        "body",
        "reflection_version",
        "created_at",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.id),
            text(self.case_id),
            text(self.reflection_id),
            optional(&self.parent_id),
            self.supervisor_name.clone(),
            self.author_name.clone(),
            self.anchor_kind.clone(),
            optional(&self.anchor_row_id),
            self.anchor_label.clone(),
            self.body.clone(),
            text(self.reflection_version),
            text(self.created_at),
        ]
    }
}

impl Record for ExportedRating {
    const HEADER: &'static [&'static str] = &[
        "case_id",
        "reflection_id",
        "intervention_id",
        "supervisor_name",
        "anchor_label",
        "rating",
        "note",
        "reflection_version",
        "updated_at",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.case_id),
            text(self.reflection_id),
            optional(&self.intervention_id),
            self.supervisor_name.clone(),
            self.anchor_label.clone(),
            self.rating.clone(),
            self.note.clone(),
            text(self.reflection_version),
            text(self.updated_at),
        ]
    }
}

impl Record for ExportedDraft {
    const HEADER: &'static [&'static str] = &[
        "case_id",
        "reflection_id",
        "base_version",
        "updated_at",
        "session_number",
        "input_json",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.case_id),
            optional(&self.reflection_id),
            optional(&self.base_version),
            text(self.updated_at),
            self.input.session_number.clone(),
            // Strings and lists of strings: it always serializes.
            serde_json::to_string(&self.input).unwrap_or_default(),
        ]
    }
}

impl Record for WrittenComment {
    const HEADER: &'static [&'static str] = &[
        "id",
        "case_id",
        "case_code",
        "therapist_name",
        "reflection_id",
        "session_number",
        "parent_id",
        "anchor_kind",
        "anchor_row_id",
        "anchor_label",
        "body",
        "reflection_version",
        "created_at",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.id),
            text(self.place.case_id),
            self.place.case_code.clone(),
            self.place.therapist_name.clone(),
            text(self.place.reflection_id),
            text(self.place.session_number),
            optional(&self.parent_id),
            self.anchor_kind.clone(),
            optional(&self.anchor_row_id),
            self.anchor_label.clone(),
            self.body.clone(),
            text(self.reflection_version),
            text(self.created_at),
        ]
    }
}

impl Record for GivenRating {
    const HEADER: &'static [&'static str] = &[
        "case_id",
        "case_code",
        "therapist_name",
        "reflection_id",
        "session_number",
        "intervention_id",
        "anchor_label",
        "rating",
        "note",
        "reflection_version",
        "updated_at",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.place.case_id),
            self.place.case_code.clone(),
            self.place.therapist_name.clone(),
            text(self.place.reflection_id),
            text(self.place.session_number),
            optional(&self.intervention_id),
            self.anchor_label.clone(),
            self.rating.clone(),
            self.note.clone(),
            text(self.reflection_version),
            text(self.updated_at),
        ]
    }
}

impl Record for ExportedMeeting {
    const HEADER: &'static [&'static str] = &[
        "id",
        "role",
        "date",
        "duration_minutes",
        "format",
        "supervisor_name",
        "supervisee_names",
        "case_codes",
        "notes",
        "agenda",
        "signed_off_at",
        "version",
        "created_at",
        "updated_at",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            text(self.id),
            self.role.clone(),
            self.date.clone(),
            text(self.duration_minutes),
            self.format.clone(),
            self.supervisor_name.clone(),
            self.supervisee_names.join("\n"),
            self.case_codes.join("\n"),
            self.notes.clone(),
            self.agenda.join("\n"),
            optional(&self.signed_off_at),
            text(self.version),
            text(self.created_at),
            text(self.updated_at),
        ]
    }
}

/// A meeting's action items, as rows of `meeting_action_items.csv`.
pub struct MeetingActionItems<'a>(pub &'a ExportedMeeting);

impl MeetingActionItems<'_> {
    pub const HEADER: &'static [&'static str] =
        &["meeting_id", "position", "text", "assignee_name", "done"];

    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .action_items
            .iter()
            .zip(1u32..)
            .map(|(item, position)| {
                csv_line(&[
                    text(self.0.id),
                    text(position),
                    item.text.clone(),
                    item.assignee_name.clone(),
                    text(item.done),
                ])
            })
    }
}

/// A meeting's comments and addenda, as rows of `meeting_remarks.csv`.
pub struct MeetingRemarks<'a>(pub &'a ExportedMeeting);

impl MeetingRemarks<'_> {
    pub const HEADER: &'static [&'static str] =
        &["meeting_id", "kind", "author_name", "at", "body"];

    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.0.remarks.iter().map(|remark| {
            csv_line(&[
                text(self.0.id),
                remark.kind.clone(),
                remark.author_name.clone(),
                text(remark.at),
                remark.body.clone(),
            ])
        })
    }
}

/// The header line of a file whose rows are not a [`Record`].
pub fn header_of(names: &[&str]) -> String {
    csv_line(
        &names
            .iter()
            .map(|name| name.to_string())
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::csv::parse_csv;

    #[test]
    fn a_record_has_as_many_fields_as_its_header() {
        fn check<R: Record + Default>() {
            assert_eq!(R::default().fields().len(), R::HEADER.len());
        }
        check::<ExportedCase>();
        check::<ExportedReflection>();
        check::<ExportedReaction>();
        check::<ExportedIntervention>();
        check::<ExportedEpisode>();
        check::<ExportedShare>();
        check::<ExportedComment>();
        check::<ExportedRating>();
        check::<WrittenComment>();
        check::<GivenRating>();
        check::<ExportedMeeting>();
    }

    #[test]
    fn typed_text_that_looks_like_a_formula_stays_text() {
        let reaction = ExportedReaction {
            id: Some(3),
            reflection_id: 2,
            position: 1,
            dimension: "helpless".to_string(),
            intensity: 4,
            text: "=HYPERLINK(\"http://x\")".to_string(),
        };
        let parsed = parse_csv(&record_line(&reaction)).unwrap();
        assert_eq!(parsed[0][5], "'=HYPERLINK(\"http://x\")");
    }

    #[test]
    fn meeting_rows_carry_the_meeting_id() {
        let meeting = ExportedMeeting {
            id: 9,
            action_items: vec![super::super::ExportedActionItem {
                text: "Read Racker".to_string(),
                assignee_name: "Tess".to_string(),
                done: false,
            }],
            ..ExportedMeeting::default()
        };
        let lines: Vec<String> = MeetingActionItems(&meeting).lines().collect();
        assert_eq!(lines, ["9,1,Read Racker,Tess,false\r\n"]);
        assert_eq!(
            header_of(MeetingActionItems::HEADER),
            "meeting_id,position,text,assignee_name,done\r\n"
        );
    }
}
