//! The push as the reference documents it: one tolerant struct per object of the push.

use super::super::tolerant::tolerant_struct;
use super::super::tolerant::{KvMap, List, Scalar};

tolerant_struct! {
    /// The push itself: what the verify endpoint returns under `data`, and what the
    /// customer's URL receives as its body.
    pub struct Data {
        pub workflow_id: Scalar = "workflow_id",
        pub workflow_name: Scalar = "workflow_name",
        pub node_id: Scalar = "node_id",
        pub node_name: Scalar = "node_name",
        pub callee: Callee = "callee",
        pub custom_attribute: KvMap = "custom_attribute",
        pub call: Call = "call",
    }
}

tolerant_struct! {
    pub struct Callee {
        pub case_id: Scalar = "case_id",
        pub callee_name: Scalar = "callee_name",
        pub callee_gender: Scalar = "callee_gender",
        pub callee_number: Scalar = "callee_number",
        pub platform_name: Scalar = "platform_name",
        pub extra_a: Scalar = "extra_a",
        pub extra_b: Scalar = "extra_b",
        pub extra_c: Scalar = "extra_c",
        pub extra: List<ExtraItem> = "extra",
        pub extend: Extend = "extend",
        pub comments: Scalar = "comments",
        pub borrowed_date: Scalar = "borrowed_date",
        pub due_date: Scalar = "due_date",
        pub borrowed_amount: Scalar = "borrowed_amount",
        pub total_owing_amount: Scalar = "total_owing_amount",
        pub currency_unit: Scalar = "currency_unit",
    }
}

tolerant_struct! {
    /// One `callee.extra` entry: a question and its content (`extend_callees` lists numbers).
    pub struct ExtraItem {
        pub question: Scalar = "Question" | "question",
        pub content: Scalar = "Content" | "content",
    }
}

tolerant_struct! {
    pub struct Extend {
        pub variables: KvMap = "variables",
        pub detail_source: Scalar = "detail_source",
        pub pds_variables: KvMap = "pds_variables",
    }
}

tolerant_struct! {
    pub struct Call {
        pub task_id: Scalar = "task_id",
        pub call_id: Scalar = "call_id",
        pub callee_number: Scalar = "callee_number",
        pub robot_id: Scalar = "robot_id",
        pub call_start_time: Scalar = "call_start_time",
        pub call_end_time: Scalar = "call_end_time",
        pub call_times: Scalar = "call_times",
        pub ring_type: Scalar = "ring_type",
        pub hangup_type: Scalar = "hangup_type",
        pub intention: Scalar = "intention",
        pub intention_description: Scalar = "intention_description",
        pub slots: KvMap = "slots",
        pub ner_slots: KvMap = "ner_slots",
        pub redial_call: List<RedialCall> = "redial_call",
        pub talk_round: Scalar = "talk_round",
        pub ring_time: Scalar = "ring_time",
        pub question_answer: List<QuestionAnswer> = "question_answer",
        pub multi_label: KvMap = "multi_label",
        pub asr_ptp: Scalar = "asr_ptp",
        pub asr_result: List<AsrItem> = "asr_result",
        pub caller_number: Scalar = "caller_number",
    }
}

tolerant_struct! {
    /// An earlier attempt of the same call.
    pub struct RedialCall {
        pub call_id: Scalar = "call_id",
        pub call_start_time: Scalar = "call_start_time",
        pub ring_type: Scalar = "ring_type",
        pub ring_time: Scalar = "ring_time",
        pub hangup_type: Scalar = "hangup_type",
        pub result_label: Scalar = "result_label",
        pub callee_number: Scalar = "callee_number",
        pub caller_number: Scalar = "caller_number",
    }
}

tolerant_struct! {
    /// One verification question and how the callee answered it.
    pub struct QuestionAnswer {
        pub question_name: Scalar = "question_name",
        pub answer: Scalar = "answer",
        pub answer_text: Scalar = "answer_text",
        pub status: Scalar = "status",
        pub answer_text_slot: Scalar = "answer_text_slot",
        pub var: Scalar = "var",
        pub verification_results: Scalar = "verification_results",
        pub question_content: Scalar = "question_content",
        pub question_type: Scalar = "question_type",
        pub whether_answer: Scalar = "whether_answer",
    }
}

tolerant_struct! {
    /// One ASR record: what the robot said (`robottext`) and what the callee said (`text`).
    pub struct AsrItem {
        pub time: Scalar = "time",
        pub robottext: Scalar = "robottext",
        pub text: Scalar = "text",
    }
}

#[cfg(test)]
mod tests {
    use crate::api::model::{complete, parse_document, parse_head};
    use crate::api::tolerant::Repeats;

    #[test]
    fn keys_sent_twice_are_kept_with_their_paths_whole_or_skimmed() {
        let json = r#"{"data":{"callee":{"callee_name":"A","callee_name":"B"},
            "custom_attribute":{"k":1,"k":2},
            "call":{"asr_result":[{"text":"a"},{"text":"b","text":"c"}],"call_id":"x"}},
            "code":200,"code":200}"#;
        let doc = parse_document(json.as_bytes()).unwrap();
        let data = doc.data().unwrap();
        assert_eq!(data.callee.callee_name.show(), "B");
        let found: Vec<(String, usize)> = data
            .repeated_keys()
            .into_iter()
            .map(|k| (k.path, k.times))
            .collect();
        assert_eq!(
            found,
            [
                ("callee.callee_name".to_string(), 2),
                ("custom_attribute.k".to_string(), 2),
                ("call.asr_result[1].text".to_string(), 2),
            ]
        );
        // The skim and the later read of the transcript find the same.
        let (head, left_out) = parse_head(json.as_bytes()).unwrap();
        let read = complete(json.as_bytes(), head, &left_out, |_| ()).unwrap();
        assert_eq!(read.data().unwrap().repeated_keys(), data.repeated_keys());
    }
}
