//! The four ids a lookup takes, the request body they make, and how a push supplies them.

use crate::api::error::ApiError;
use crate::api::model::Data;

/// The four ids a lookup takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Query {
    pub workflow_id: String,
    pub node_id: String,
    pub callee: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
}

impl Query {
    /// The request body: the three required ids, and `case_id` only when given.
    pub(crate) fn body(&self) -> Vec<u8> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            workflow_id: &'a str,
            node_id: &'a str,
            callee: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            case_id: Option<&'a str>,
        }
        let case_id = self
            .case_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        serde_json::to_vec(&Body {
            workflow_id: self.workflow_id.trim(),
            node_id: self.node_id.trim(),
            callee: self.callee.trim(),
            case_id,
        })
        .unwrap_or_default()
    }
}

impl Query {
    /// The ids a push carries, as the verify call wants them: `workflow_id`, `node_id`,
    /// `callee.callee_number` (else `call.callee_number`) and `callee.case_id` when set.
    pub(crate) fn from_push(data: &Data) -> Result<Query, ApiError> {
        let callee = data
            .callee
            .callee_number
            .value()
            .or(data.call.callee_number.value())
            .unwrap_or("")
            .to_string();
        let q = Query {
            workflow_id: data.workflow_id.value().unwrap_or("").to_string(),
            node_id: data.node_id.value().unwrap_or("").to_string(),
            callee,
            case_id: data.callee.case_id.value().map(str::to_string),
        };
        let missing: Vec<&str> = [
            ("workflow_id", &q.workflow_id),
            ("node_id", &q.node_id),
            ("callee.callee_number", &q.callee),
        ]
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(n, _)| *n)
        .collect();
        if missing.is_empty() {
            Ok(q)
        } else {
            Err(ApiError::WrongShape {
                what: format!("the push has no {}", missing.join(", ")),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_case_id_only_when_given() {
        let mut q = Query {
            workflow_id: "w".into(),
            node_id: "n".into(),
            callee: "+1".into(),
            case_id: None,
        };
        assert_eq!(
            String::from_utf8(q.body()).unwrap(),
            r#"{"workflow_id":"w","node_id":"n","callee":"+1"}"#
        );
        q.case_id = Some("  ".into());
        assert!(!String::from_utf8(q.body()).unwrap().contains("case_id"));
        q.case_id = Some("c1".into());
        assert_eq!(
            String::from_utf8(q.body()).unwrap(),
            r#"{"workflow_id":"w","node_id":"n","callee":"+1","case_id":"c1"}"#
        );
    }
}
